package dev.correlation.kafka.streams;

import static dev.correlation.kafka.streams.StreamsTestKit.APP;
import static dev.correlation.kafka.streams.StreamsTestKit.headers;
import static dev.correlation.kafka.streams.StreamsTestKit.mdc;
import static dev.correlation.kafka.streams.StreamsTestKit.props;
import static dev.correlation.kafka.streams.StreamsTestKit.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.CorrelationConfig;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.testing.LogCapture;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Single wrapped suppliers (no {@code processor.wrapper.class}), and the options. */
class KafkaStreamsCorrelationTest {
  private final KafkaStreamsCorrelation streams =
      KafkaStreamsCorrelation.create(CorrelationConfig.builder().build());
  private final LogCapture app = new LogCapture(StreamsTestKit.APP_LOGGER);

  @AfterEach
  void detach() {
    app.close();
  }

  @Test
  void aWrappedProcessorSupplierRunsInItsRecordsFlowWithoutTheWrapperProperty() {
    Topology topology = new Topology();
    topology.addSource("source", new StringDeserializer(), new StringDeserializer(), "orders");
    topology.addProcessor("audit", streams.wrap(CorrelationProcessorWrapperTest.Audit::new),
        "source");
    topology.addSink("sink", "audited", new StringSerializer(), new StringSerializer(), "audit");
    Properties props = props(false);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(new TestRecord<>("k", "BOOK", headers("flow-10", "web-0@1"),
              Instant.ofEpochSecond(1)));

      assertThat(app.events()).singleElement()
          .satisfies(e -> assertThat(mdc(e)).isEqualTo("flow-10|orders-0@0|web-0@1"));
      TestRecord<String, String> out = driver.createOutputTopic("audited",
          new StringDeserializer(), new StringDeserializer()).readRecord();
      assertThat(value(out.headers(), "X-Correlation-ID")).isEqualTo("flow-10");
      assertThat(value(out.headers(), "X-Causation-ID")).isEqualTo("orders-0@0");
    }
  }

  /** Logs, and forwards the record it was given with a new value (headers as they came). */
  static final class Shout extends ContextualFixedKeyProcessor<String, String, String> {
    @Override
    public void process(FixedKeyRecord<String, String> record) {
      APP.info("shout {}", record.value());
      context().forward(record.withValue(record.value() + "!"));
    }
  }

  @Test
  void aWrappedFixedKeySupplierRunsInItsRecordsFlowAndRewritesTheStaleCause() {
    StreamsBuilder builder = new StreamsBuilder();
    FixedKeyProcessorSupplier<String, String, String> shout = Shout::new;
    builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
        .processValues(streams.wrapFixedKey(shout))
        .to("shouted", Produced.with(Serdes.String(), Serdes.String()));
    Properties props = props(false);
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(new TestRecord<>("k", "hi", headers("flow-11", "web-0@2"),
              Instant.ofEpochSecond(1)));

      assertThat(app.events()).singleElement()
          .satisfies(e -> assertThat(mdc(e)).isEqualTo("flow-11|orders-0@0|web-0@2"));
      TestRecord<String, String> out = driver.createOutputTopic("shouted",
          new StringDeserializer(), new StringDeserializer()).readRecord();
      assertThat(out.value()).isEqualTo("hi!");
      assertThat(value(out.headers(), "X-Correlation-ID")).isEqualTo("flow-11");
      assertThat(value(out.headers(), "X-Causation-ID")).isEqualTo("orders-0@0");
    }
  }

  @Test
  void wrappingTwiceReturnsTheSameSupplier() {
    ProcessorSupplier<String, String, String, String> once =
        streams.wrap(CorrelationProcessorWrapperTest.Audit::new);
    FixedKeyProcessorSupplier<String, String, String> shout = Shout::new;
    FixedKeyProcessorSupplier<String, String, String> onceFixed = streams.wrapFixedKey(shout);

    assertThat(streams.wrap(once)).isSameAs(once);
    assertThat(streams.wrapFixedKey(onceFixed)).isSameAs(onceFixed);
    assertThat(KafkaStreamsCorrelation.create().wrap(once)).isNotSameAs(once);
  }

  @Test
  void fromMapReadsOurKeysAndIgnoresTheRest() {
    KafkaStreamsCorrelation own = KafkaStreamsCorrelation.fromMap(Map.of(
        "application.id", "app",
        "correlation.header.name", "X-Flow",
        KafkaStreamsCorrelation.PUNCTUATION_FLOWS, "false"));

    assertThat(own.flows.config().headerName()).isEqualTo("X-Flow");
    assertThat(own.flows.punctuationFlows()).isFalse();
    assertThat(own.toBuilder().punctuationFlows(true).build().flows.punctuationFlows()).isTrue();
    assertThat(own.toBuilder().build().flows.config().headerName()).isEqualTo("X-Flow");
    assertThat(KafkaStreamsCorrelation.fromMap(Map.of("application.id", "app"))
        .flows.punctuationFlows()).isTrue();
  }

  @Test
  void fromMapRejectsUnknownKeysAndBadFlagsNamingTheKey() {
    assertThatThrownBy(() -> KafkaStreamsCorrelation.fromMap(Map.of("correlation.hedaer", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("correlation.hedaer");
    assertThatThrownBy(() -> KafkaStreamsCorrelation.fromMap(
        Map.of(KafkaStreamsCorrelation.PUNCTUATION_FLOWS, "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(KafkaStreamsCorrelation.PUNCTUATION_FLOWS);
    assertThatThrownBy(() -> KafkaStreamsCorrelation.fromMap(
        Map.of(KafkaStreamsCorrelation.PUNCTUATION_FLOWS, Boolean.TRUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(KafkaStreamsCorrelation.PUNCTUATION_FLOWS);
  }

  @Test
  void theWrapperPropertyFailsTheBuilderOnABadKey() {
    Properties props = props(true);
    props.put("correlation.hedaer.name", "X-Flow");
    assertThatThrownBy(() -> CorrelationProcessorWrapperTest.pipeline(props))
        .hasStackTraceContaining("correlation.hedaer.name");
  }

  @Test
  void messageIdsHaveTheFormOfTheKafkaModule() {
    RecordMetadata metadata = new RecordMetadata() {
      @Override
      public String topic() {
        return "orders";
      }

      @Override
      public int partition() {
        return 3;
      }

      @Override
      public long offset() {
        return 41;
      }
    };
    ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 3, 41, "k", "v");

    assertThat(StreamsFlows.messageId(Optional.of(metadata)))
        .isEqualTo(KafkaCorrelation.create().context(record).messageId());
    assertThat(StreamsFlows.messageId(Optional.empty())).isNull();
  }

  @Test
  void nullArgumentsFailFast() {
    assertThatThrownBy(() -> streams.wrap(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("supplier == null");
    assertThatThrownBy(() -> KafkaStreamsCorrelation.create(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new CorrelationProcessorWrapper().configure(null))
        .isInstanceOf(NullPointerException.class);
  }
}
