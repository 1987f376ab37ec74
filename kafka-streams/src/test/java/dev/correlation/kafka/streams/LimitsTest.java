package dev.correlation.kafka.streams;

import static dev.correlation.kafka.streams.StreamsTestKit.headers;
import static dev.correlation.kafka.streams.StreamsTestKit.props;
import static dev.correlation.kafka.streams.StreamsTestKit.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documented limits, as Kafka Streams 4.1.1 behaves with the wrapper: state stores keep no
 * headers, so a result that combines several records carries one flow, that of the record whose
 * update produced it (Streams keeps that record's context in its cache and suppression buffer), and
 * names it as cause; the other records' flows are not carried.
 */
class LimitsTest {
  private static TestRecord<String, String> rec(String key, String value, String flow, long sec) {
    return new TestRecord<>(key, value, headers(flow, "up-0@" + sec), Instant.ofEpochSecond(sec));
  }

  private static String flowAndCause(TestRecord<?, ?> r) {
    return r.key() + "=" + r.value() + " " + value(r.headers(), "X-Correlation-ID") + " "
        + value(r.headers(), "X-Causation-ID");
  }

  @ParameterizedTest(name = "state store cache on: {0}")
  @ValueSource(booleans = {true, false})
  void aResultCarriesTheFlowOfTheRecordThatTriggeredIt(boolean caching) {
    Properties props = props(true);
    if (!caching) {
      props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    }
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    KStream<String, String> orders =
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()));
    orders.groupByKey().count().toStream()
        .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
    orders.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofSeconds(10))).count()
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream((window, count) -> window.key())
        .to("suppressed", Produced.with(Serdes.String(), Serdes.Long()));
    KTable<String, String> a = builder.table("a", Consumed.with(Serdes.String(), Serdes.String()));
    KTable<String, String> b = builder.table("b", Consumed.with(Serdes.String(), Serdes.String()));
    a.join(b, (x, y) -> x + "+" + y).toStream()
        .to("tablejoin", Produced.with(Serdes.String(), Serdes.String()));
    KStream<String, String> left =
        builder.stream("left", Consumed.with(Serdes.String(), Serdes.String()));
    KStream<String, String> right =
        builder.stream("right", Consumed.with(Serdes.String(), Serdes.String()));
    left.join(right, (x, y) -> x + "+" + y,
            JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofSeconds(10)),
            StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
        .to("streamjoin", Produced.with(Serdes.String(), Serdes.String()));

    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, String> in = input(driver, "orders");
      in.pipeInput(rec("k", "1", "flow-A", 1));
      in.pipeInput(rec("k", "2", "flow-B", 2));
      in.pipeInput(rec("k", "3", "flow-C", 30)); // closes the first window
      input(driver, "a").pipeInput(rec("k", "a1", "flow-TA", 1));
      input(driver, "b").pipeInput(rec("k", "b1", "flow-TB", 2));
      input(driver, "left").pipeInput(rec("k", "l1", "flow-L", 1));
      input(driver, "right").pipeInput(rec("k", "r1", "flow-R", 2));

      // aggregation: each count carries the flow of the record that updated it
      assertThat(driver.createOutputTopic("counts", new StringDeserializer(),
              new LongDeserializer()).readRecordsToList())
          .extracting(LimitsTest::flowAndCause)
          .containsExactly("k=1 flow-A orders-0@0", "k=2 flow-B orders-0@1",
              "k=3 flow-C orders-0@2");
      // suppress: the window's one result carries the flow of the last record counted in it
      // (flow-A's count is in it, its flow is not)
      assertThat(driver.createOutputTopic("suppressed", new StringDeserializer(),
              new LongDeserializer()).readRecordsToList())
          .extracting(LimitsTest::flowAndCause)
          .containsExactly("k=2 flow-B orders-0@1");
      // KTable-KTable join: the side whose update triggered it; the other side's flow is lost
      assertThat(driver.createOutputTopic("tablejoin", new StringDeserializer(),
              new StringDeserializer()).readRecordsToList())
          .extracting(LimitsTest::flowAndCause)
          .containsExactly("k=a1+b1 flow-TB b-0@0");
      // stream-stream join: the triggering record's headers; the stored side's are not kept
      assertThat(driver.createOutputTopic("streamjoin", new StringDeserializer(),
              new StringDeserializer()).readRecordsToList())
          .extracting(LimitsTest::flowAndCause)
          .containsExactly("k=l1+r1 flow-R right-0@0");
    }
  }

  private static TestInputTopic<String, String> input(TopologyTestDriver driver, String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new StringSerializer());
  }
}
