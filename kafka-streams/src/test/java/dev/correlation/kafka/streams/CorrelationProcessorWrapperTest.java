package dev.correlation.kafka.streams;

import static dev.correlation.kafka.streams.StreamsTestKit.APP;
import static dev.correlation.kafka.streams.StreamsTestKit.headers;
import static dev.correlation.kafka.streams.StreamsTestKit.mdc;
import static dev.correlation.kafka.streams.StreamsTestKit.props;
import static dev.correlation.kafka.streams.StreamsTestKit.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.CorrelationPropagator;
import dev.correlation.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wrapper set by {@code processor.wrapper.class}, on a topology {@code mapValues → peek → filter
 * → process → to}, driven by {@link TopologyTestDriver}.
 */
class CorrelationProcessorWrapperTest {
  private final LogCapture app = new LogCapture(StreamsTestKit.APP_LOGGER);
  private final LogCapture warnings = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void detach() {
    app.close();
    warnings.close();
  }

  /**
   * orders → mapValues → peek → filter → checked (a sink fed by a Kafka processor), and filter →
   * process(Audit) → audited (a sink fed by an application processor that builds its records from
   * scratch, and punctuates every minute).
   */
  static Topology pipeline(Properties props) {
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    KStream<String, String> checked = builder
        .stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(v -> {
          APP.info("mapValues {}", v);
          return v.toUpperCase(Locale.ROOT);
        })
        .peek((k, v) -> APP.info("peek {}", v))
        .filter((k, v) -> {
          APP.info("filter {}", v);
          return !v.startsWith("DROP");
        });
    checked.to("checked", Produced.with(Serdes.String(), Serdes.String()));
    checked.process(Audit::new)
        .to("audited", Produced.with(Serdes.String(), Serdes.String()));
    return builder.build();
  }

  /** An application processor: forwards new records without headers, punctuates every minute. */
  static final class Audit implements Processor<String, String, String, String> {
    private @Nullable ProcessorContext<String, String> context;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
      context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, timestamp -> {
        APP.info("tick");
        context.forward(new Record<>("tick", "tick", timestamp));
      });
    }

    @Override
    public void process(Record<String, String> record) {
      APP.info("audit {}", record.value());
      if (record.value().startsWith("FAIL")) {
        throw new IllegalStateException("audit failed");
      }
      context.forward(new Record<>(record.key(), record.value() + "!", record.timestamp()));
    }
  }

  private static TestRecord<String, String> order(String key, String value,
      @Nullable String correlation, @Nullable String causation) {
    return new TestRecord<>(key, value, headers(correlation, causation), Instant.ofEpochSecond(1));
  }

  private List<String> appLines() {
    return app.events().stream().map(e -> mdc(e) + " " + e.getFormattedMessage())
        .collect(Collectors.toList());
  }

  @Test
  void everyProcessorLogsInTheInputRecordsFlowAndTheOutputsNameItAsCause() {
    Properties props = props(true);
    try (TopologyTestDriver driver = new TopologyTestDriver(pipeline(props), props)) {
      TestInputTopic<String, String> in = driver.createInputTopic("orders",
          new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> checked = driver.createOutputTopic("checked",
          new StringDeserializer(), new StringDeserializer());
      TestOutputTopic<String, String> audited = driver.createOutputTopic("audited",
          new StringDeserializer(), new StringDeserializer());

      in.pipeInput(order("k1", "book", "flow-1", "web-0@7"));
      in.pipeInput(order("k2", "pen", "flow-2", null));

      assertThat(appLines()).containsExactly(
          "flow-1|orders-0@0|web-0@7 mapValues book",
          "flow-1|orders-0@0|web-0@7 peek BOOK",
          "flow-1|orders-0@0|web-0@7 filter BOOK",
          "flow-1|orders-0@0|web-0@7 audit BOOK",
          "flow-2|orders-0@1|null mapValues pen",
          "flow-2|orders-0@1|null peek PEN",
          "flow-2|orders-0@1|null filter PEN",
          "flow-2|orders-0@1|null audit PEN");
      for (TestOutputTopic<String, String> out : List.of(checked, audited)) {
        List<TestRecord<String, String>> records = out.readRecordsToList();
        assertThat(records).hasSize(2);
        assertThat(value(records.get(0).headers(), "X-Correlation-ID")).isEqualTo("flow-1");
        assertThat(value(records.get(0).headers(), "X-Causation-ID")).isEqualTo("orders-0@0");
        assertThat(value(records.get(1).headers(), "X-Correlation-ID")).isEqualTo("flow-2");
        assertThat(value(records.get(1).headers(), "X-Causation-ID")).isEqualTo("orders-0@1");
      }
      assertThat(warnings.warnings()).isEmpty();
    }
  }

  @Test
  void aFilteredOutRecordIsLoggedInItsFlowAndProducesNothing() {
    Properties props = props(true);
    try (TopologyTestDriver driver = new TopologyTestDriver(pipeline(props), props)) {
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(order("k1", "drop-me", "flow-3", null));

      assertThat(appLines()).containsExactly(
          "flow-3|orders-0@0|null mapValues drop-me",
          "flow-3|orders-0@0|null peek DROP-ME",
          "flow-3|orders-0@0|null filter DROP-ME");
      assertThat(driver.createOutputTopic("checked", new StringDeserializer(),
          new StringDeserializer()).isEmpty()).isTrue();
    }
  }

  @Test
  void aRecordWithABadHeaderGetsAFreshIdAndOneWarn() {
    Properties props = props(true);
    try (TopologyTestDriver driver = new TopologyTestDriver(pipeline(props), props)) {
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(order("k1", "book", "forged\nINFO fake line", "web-0@8"));

      List<ILoggingEvent> lines = app.events();
      assertThat(lines).hasSize(4);
      String fresh = lines.get(0).getMDCPropertyMap().get("correlation_id");
      assertThat(fresh).isNotBlank().doesNotContain("forged");
      assertThat(lines).allSatisfy(e -> assertThat(mdc(e)).isEqualTo(fresh + "|orders-0@0|web-0@8"));
      assertThat(warnings.warnings()).singleElement().asString()
          .contains("X-Correlation-ID", "control character", fresh)
          .doesNotContain("\n");
      for (String topic : List.of("checked", "audited")) {
        TestRecord<String, String> out = driver.createOutputTopic(topic, new StringDeserializer(),
            new StringDeserializer()).readRecord();
        assertThat(value(out.headers(), "X-Correlation-ID")).isEqualTo(fresh);
        assertThat(value(out.headers(), "X-Causation-ID")).isEqualTo("orders-0@0");
      }
    }
  }

  @Test
  void eachPunctuationRunsInAFlowOfItsOwnThatItsOutputCarries() {
    Properties props = props(true);
    try (TopologyTestDriver driver = new TopologyTestDriver(pipeline(props), props)) {
      TestOutputTopic<String, String> audited = driver.createOutputTopic("audited",
          new StringDeserializer(), new StringDeserializer());
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(order("k1", "book", "flow-4", null));
      audited.readRecord();
      app.events(); // the record's own lines are checked elsewhere

      driver.advanceWallClockTime(Duration.ofMinutes(1));
      driver.advanceWallClockTime(Duration.ofMinutes(1));

      List<TestRecord<String, String>> ticks = audited.readRecordsToList();
      assertThat(ticks).hasSize(2);
      List<ILoggingEvent> tickLines = app.events().stream()
          .filter(e -> e.getFormattedMessage().equals("tick")).collect(Collectors.toList());
      assertThat(tickLines).hasSize(2);
      for (int i = 0; i < 2; i++) {
        String flow = value(ticks.get(i).headers(), "X-Correlation-ID");
        assertThat(flow).isNotBlank().isNotEqualTo("flow-4");
        assertThat(value(ticks.get(i).headers(), "X-Causation-ID")).isNull();
        assertThat(mdc(tickLines.get(i))).isEqualTo(flow + "|null|null");
      }
      assertThat(value(ticks.get(0).headers(), "X-Correlation-ID"))
          .isNotEqualTo(value(ticks.get(1).headers(), "X-Correlation-ID"));
      assertThat(warnings.warnings()).isEmpty();
    }
  }

  @Test
  void withPunctuationFlowsOffAPunctuationRunsOutsideAnyFlow() {
    Properties props = props(true);
    props.put(KafkaStreamsCorrelation.PUNCTUATION_FLOWS, "false");
    try (TopologyTestDriver driver = new TopologyTestDriver(pipeline(props), props)) {
      driver.advanceWallClockTime(Duration.ofMinutes(1));

      assertThat(app.events()).singleElement()
          .satisfies(e -> assertThat(mdc(e)).isEqualTo("null|null|null"));
      TestRecord<String, String> tick = driver.createOutputTopic("audited",
          new StringDeserializer(), new StringDeserializer()).readRecord();
      // the edge rule of any send outside a flow: a new ID for the record
      assertThat(value(tick.headers(), "X-Correlation-ID")).isNotBlank();
    }
  }

  @Test
  void aFailingProcessorsExceptionPassesThroughAfterItsLineCarriedTheFlow() {
    Properties props = props(true);
    try (TopologyTestDriver driver = new TopologyTestDriver(pipeline(props), props)) {
      TestInputTopic<String, String> in = driver.createInputTopic("orders",
          new StringSerializer(), new StringSerializer());

      assertThatThrownBy(() -> in.pipeInput(order("k1", "fail", "flow-5", null)))
          .isInstanceOf(StreamsException.class)
          .rootCause().isInstanceOf(IllegalStateException.class).hasMessage("audit failed");
      assertThat(appLines()).last().isEqualTo("flow-5|orders-0@0|null audit FAIL");
      // the thread's context and MDC are checked clean after each test (CleanThreadExtension)
    }
  }

  @Test
  void withoutTheWrapperNothingIsCorrelated() {
    // the control: the same topology without processor.wrapper.class
    Properties props = props(false);
    try (TopologyTestDriver driver = new TopologyTestDriver(pipeline(props), props)) {
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(order("k1", "book", "flow-6", "web-0@9"));

      assertThat(app.events()).isNotEmpty()
          .allSatisfy(e -> assertThat(mdc(e)).isEqualTo("null|null|null"));
      TestRecord<String, String> out = driver.createOutputTopic("checked",
          new StringDeserializer(), new StringDeserializer()).readRecord();
      assertThat(value(out.headers(), "X-Causation-ID")).isEqualTo("web-0@9"); // the stale copy
    }
  }

  @Test
  void siblingsUnderASourceEachReadTheInputsOwnHeaders() {
    // Streams hands one Record, with one Headers object, to every child of the source: the first
    // child's rewrite must not reach the second.
    Properties props = props(true);
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    KStream<String, String> orders =
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()));
    // not peek: fixed-key processors get a record of their own anyway
    orders.process(() -> new Echo("first")).to("first");
    orders.process(() -> new Echo("second")).to("second");
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(order("k1", "book", "flow-7", "web-0@3"));

      assertThat(appLines()).containsExactly(
          "flow-7|orders-0@0|web-0@3 first book",
          "flow-7|orders-0@0|web-0@3 second book");
      for (String topic : List.of("first", "second")) {
        TestRecord<String, String> out = driver.createOutputTopic(topic,
            new StringDeserializer(), new StringDeserializer()).readRecord();
        assertThat(value(out.headers(), "X-Correlation-ID")).isEqualTo("flow-7");
        assertThat(value(out.headers(), "X-Causation-ID")).isEqualTo("orders-0@0");
      }
    }
  }

  /** Logs and forwards the record it was given, as it is. */
  static final class Echo extends ContextualProcessor<String, String, String, String> {
    private final String name;

    Echo(String name) {
      this.name = name;
    }

    @Override
    public void process(Record<String, String> record) {
      APP.info("{} {}", name, record.value());
      context().forward(record);
    }
  }

  /** Forwards each record twice: once in its own flow, once inside a flow it opens itself. */
  static final class Split implements Processor<String, String, String, String> {
    private @Nullable ProcessorContext<String, String> context;

    @Override
    public void init(ProcessorContext<String, String> context) {
      this.context = context;
    }

    @Override
    public void process(Record<String, String> record) {
      context.forward(record);
      dev.correlation.Correlation.runWith("flow-other",
          () -> context.forward(record.withValue("other")));
    }
  }

  @Test
  void aRecordForwardedInsideAnotherFlowCarriesThatFlowAndTheInputAsCause() {
    Properties props = props(true);
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
        .process(Split::new)
        .peek((k, v) -> APP.info("next {}", v))
        .to("split", Produced.with(Serdes.String(), Serdes.String()));
    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(order("k1", "book", "flow-8", null));

      assertThat(appLines()).containsExactly(
          "flow-8|orders-0@0|null next book",
          "flow-other|orders-0@0|null next other");
      List<TestRecord<String, String>> out = driver.createOutputTopic("split",
          new StringDeserializer(), new StringDeserializer()).readRecordsToList();
      assertThat(out).extracting(r -> value(r.headers(), "X-Correlation-ID") + " "
              + value(r.headers(), "X-Causation-ID"))
          // the flow the processor chose; the cause is still the input record being processed
          .containsExactly("flow-8 orders-0@0", "flow-other orders-0@0");
    }
  }
}
