package dev.correlation.kafka.streams;

import static dev.correlation.kafka.streams.StreamsTestKit.APP;
import static dev.correlation.kafka.streams.StreamsTestKit.headers;
import static dev.correlation.kafka.streams.StreamsTestKit.mdc;
import static dev.correlation.kafka.streams.StreamsTestKit.props;
import static dev.correlation.kafka.streams.StreamsTestKit.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import dev.correlation.kafka.CorrelationProducerInterceptor;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.testing.LogCapture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

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

  // --- context, open, inject ---

  @Test
  void contextReadsTheFlowAndCauseFromARecordsHeaders() {
    LogCapture warnings = new LogCapture(CorrelationPropagator.class);
    try {
      Record<String, String> record = new Record<>("k", "v", 1L, headers("flow-20", "web-0@3"));
      assertThat(streams.context(record)).isEqualTo(CorrelationContext.of("flow-20", null, "web-0@3"));

      CorrelationContext fresh = streams.context(new Record<>("k", "v", 1L));
      assertThat(fresh.correlationId()).isNotBlank();
      assertThat(warnings.warnings()).singleElement().asString().contains("X-Correlation-ID");
    } finally {
      warnings.close();
    }
  }

  @Test
  void openPutsTheRecordsFlowOnTheThreadUntilClosed() {
    Record<String, String> record = new Record<>("k", "v", 1L, headers("flow-21", "web-0@4"));
    try (Scope outer = Correlation.open("outer")) {
      try (Scope scope = streams.open(record)) {
        assertThat(MDC.get("correlation_id")).isEqualTo("flow-21");
        assertThat(MDC.get("causation_id")).isEqualTo("web-0@4");
      }
      assertThat(Correlation.currentId()).isEqualTo("outer");
      assertThat(MDC.get("causation_id")).isNull();
    }
  }

  @Test
  void injectReturnsACopyCarryingTheFlowAndLeavesTheRecordAlone() {
    Record<String, String> record = new Record<>("k", "v", 7L, headers("stale", null));
    record.headers().add("other", "kept".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Record<String, String> forB =
        streams.inject(record, CorrelationContext.of("flow-b", "orders-0@7", null));

    assertThat(forB.key()).isEqualTo("k");
    assertThat(forB.value()).isEqualTo("v");
    assertThat(forB.timestamp()).isEqualTo(7L);
    assertThat(value(forB.headers(), "X-Correlation-ID")).isEqualTo("flow-b");
    assertThat(value(forB.headers(), "X-Causation-ID")).isEqualTo("orders-0@7");
    assertThat(value(forB.headers(), "other")).isEqualTo("kept");
    assertThat(value(record.headers(), "X-Correlation-ID")).isEqualTo("stale");
    assertThat(value(record.headers(), "X-Causation-ID")).isNull();
  }

  /**
   * Forwards, for each record, one record injected for the flow named in its value and one built
   * from scratch (which carries the current flow).
   */
  static final class Relay extends ContextualProcessor<String, String, String, String> {
    @Override
    public void process(Record<String, String> record) {
      KafkaStreamsCorrelation own = KafkaStreamsCorrelation.create();
      context().forward(own.inject(new Record<>("for-b", "b", record.timestamp()),
          CorrelationContext.of(record.value(), "orders-9@1", null)));
      context().forward(new Record<>("own", "a", record.timestamp()));
    }
  }

  @Test
  void aWrappedProcessorForwardsAnInjectedRecordInItsOwnFlowToTheSink() {
    Topology topology = new Topology();
    topology.addSource("source", new StringDeserializer(), new StringDeserializer(), "orders");
    topology.addProcessor("relay", streams.wrap(Relay::new), "source");
    topology.addSink("sink", "relayed", new StringSerializer(), new StringSerializer(), "relay");
    Properties props = props(false);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      driver.createInputTopic("orders", new StringSerializer(), new StringSerializer())
          .pipeInput(new TestRecord<>("k", "flow-b", headers("flow-a", "web-0@1"),
              Instant.ofEpochSecond(1)));

      List<TestRecord<String, String>> out = driver.createOutputTopic("relayed",
          new StringDeserializer(), new StringDeserializer()).readRecordsToList();
      assertThat(out).extracting(TestRecord::key).containsExactly("for-b", "own");
      assertThat(value(out.get(0).headers(), "X-Correlation-ID")).isEqualTo("flow-b");
      assertThat(value(out.get(0).headers(), "X-Causation-ID")).isEqualTo("orders-9@1");
      assertThat(value(out.get(1).headers(), "X-Correlation-ID")).isEqualTo("flow-a");
      assertThat(value(out.get(1).headers(), "X-Causation-ID")).isEqualTo("orders-0@0");
    }
  }

  @Test
  void theProducerInterceptorLeavesAnInjectedRecordsHeadersAloneInsideAnotherFlow() {
    Record<String, String> forB = streams.inject(new Record<>("k", "v", 1L),
        CorrelationContext.of("flow-b", "orders-9@1", null));
    CorrelationProducerInterceptor<String, String> interceptor =
        new CorrelationProducerInterceptor<>();
    interceptor.configure(Map.of());

    // Streams' record collector sends a ProducerRecord over the record's headers
    Headers sent = Correlation.supplyWith(CorrelationContext.of("flow-a", "orders-0@0", null),
        () -> interceptor.onSend(new ProducerRecord<>("out", null, 1L, "k", "v",
            forB.headers())).headers());

    assertThat(value(sent, "X-Correlation-ID")).isEqualTo("flow-b");
    assertThat(value(sent, "X-Causation-ID")).isEqualTo("orders-9@1");
  }

  @Test
  void nullArgumentsFailFast() {
    assertThatThrownBy(() -> streams.wrap(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("supplier == null");
    assertThatThrownBy(() -> streams.context(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("record == null");
    assertThatThrownBy(() -> streams.open(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("record == null");
    assertThatThrownBy(() -> streams.inject(null, CorrelationContext.of("f")))
        .isInstanceOf(NullPointerException.class).hasMessage("record == null");
    assertThatThrownBy(() -> streams.inject(new Record<>("k", "v", 1L), null))
        .isInstanceOf(NullPointerException.class).hasMessage("flow == null");
    assertThatThrownBy(() -> KafkaStreamsCorrelation.create(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new CorrelationProcessorWrapper().configure(null))
        .isInstanceOf(NullPointerException.class);
  }
}
