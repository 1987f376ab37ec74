package dev.correlation.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import dev.correlation.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class KafkaCorrelationTest {
  // Its own config: rate-limited WARNs are counted per config instance.
  private final KafkaCorrelation kafka = KafkaCorrelation.create(CorrelationConfig.builder().build());
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void detach() {
    log.close();
  }

  @Test
  void contextCarriesFlowOwnMessageIdAndCause() {
    ConsumerRecord<String, String> record = record("orders", 3, 1234L,
        "X-Correlation-ID", "order-42", "X-Causation-ID", "web-7@1");

    CorrelationContext context = kafka.context(record);

    assertThat(context.correlationId()).isEqualTo("order-42");
    assertThat(context.messageId()).isEqualTo("orders-3@1234");
    assertThat(context.causationId()).isEqualTo("web-7@1");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void startsAFreshFlowForARecordWithoutHeader() {
    CorrelationContext first = kafka.context(record("orders", 0, 1L));
    CorrelationContext second = kafka.context(record("orders", 0, 2L));

    assertThat(UUID.fromString(first.correlationId()).toString()).isEqualTo(first.correlationId());
    assertThat(second.correlationId()).isNotEqualTo(first.correlationId());
    assertThat(first.messageId()).isEqualTo("orders-0@1");
    assertThat(first.causationId()).isNull();
  }

  @Test
  void replacesForgedIdWithFreshOneAndWarnsEscaped() {
    CorrelationContext context = kafka.context(
        record("orders", 0, 5L, "X-Correlation-ID", "ok\n12:00:00 INFO fake line"));

    assertThat(context.correlationId()).doesNotContain("fake");
    assertThat(log.warnings()).singleElement().asString()
        .contains("X-Correlation-ID", "ok\\x0a12:00:00 INFO fake line", context.correlationId())
        .doesNotContain("\n");
  }

  @Test
  void acceptsIdenticalCopiesAndRejectsDifferingOnes() {
    CorrelationContext same = kafka.context(record("orders", 0, 1L,
        "X-Correlation-ID", "order-42", "X-Correlation-ID", "order-42"));
    CorrelationContext differing = kafka.context(record("orders", 0, 2L,
        "X-Correlation-ID", "order-42", "X-Correlation-ID", "order-43"));

    assertThat(same.correlationId()).isEqualTo("order-42");
    assertThat(differing.correlationId()).isNotIn("order-42", "order-43");
    assertThat(log.warnings()).singleElement().asString().contains("more than once");
  }

  @Test
  void unquotesAJsonStringId() {
    assertThat(kafka.context(record("orders", 0, 1L, "X-Correlation-ID", "\"order-42\""))
        .correlationId()).isEqualTo("order-42");
  }

  @Test
  void wrappedHandlerRunsInTheRecordsFlowWithMdc() {
    AtomicReference<CorrelationContext> seen = new AtomicReference<>();
    Map<String, String> mdc = new HashMap<>();
    Consumer<ConsumerRecord<String, String>> handler = kafka.wrap(r -> {
      seen.set(Correlation.current().orElseThrow());
      mdc.put("correlation_id", MDC.get("correlation_id"));
      mdc.put("message_id", MDC.get("message_id"));
      mdc.put("causation_id", MDC.get("causation_id"));
    });

    handler.accept(record("orders", 1, 8L,
        "X-Correlation-ID", "order-42", "X-Causation-ID", "web-0@3"));

    assertThat(seen.get()).isEqualTo(CorrelationContext.of("order-42", "orders-1@8", "web-0@3"));
    assertThat(mdc).containsEntry("correlation_id", "order-42")
        .containsEntry("message_id", "orders-1@8")
        .containsEntry("causation_id", "web-0@3");
    assertThat(Correlation.current()).isEmpty();
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void wrappedHandlerRestoresTheOuterFlow() {
    Consumer<ConsumerRecord<String, String>> handler = kafka.wrap(r -> { });

    Correlation.runWith("outer", () -> {
      handler.accept(record("orders", 0, 1L, "X-Correlation-ID", "order-42"));
      assertThat(Correlation.currentId()).isEqualTo("outer");
      assertThat(MDC.get("correlation_id")).isEqualTo("outer");
      assertThat(MDC.get("message_id")).isNull();
    });
  }

  @Test
  void handlerExceptionPassesUnchangedAfterTheScopeCloses() {
    IllegalStateException boom = new IllegalStateException("boom");
    Consumer<ConsumerRecord<String, String>> handler = kafka.wrap(r -> {
      throw boom;
    });

    assertThatThrownBy(() -> handler.accept(record("orders", 0, 1L)))
        .isSameAs(boom)
        .satisfies(e -> assertThat(Correlation.current()).isEmpty());
  }

  @Test
  void wrappingAWrappedHandlerReturnsIt() {
    Consumer<ConsumerRecord<String, String>> once = kafka.wrap(r -> { });

    assertThat(kafka.wrap(once)).isSameAs(once);
    assertThat(KafkaCorrelation.create().wrap(once)).isNotSameAs(once);
  }

  @Test
  void openGivesTheRecordsScopeForCheckedCode() {
    Scope scope = kafka.open(record("orders", 4, 2L, "X-Correlation-ID", "order-42"));
    try {
      assertThat(Correlation.currentId()).isEqualTo("order-42");
      assertThat(MDC.get("message_id")).isEqualTo("orders-4@2");
    } finally {
      scope.close();
    }
  }

  @Test
  void forEachHandlesEveryRecordOfAPollInItsOwnFlow() {
    MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    List<TopicPartition> partitions = List.of(new TopicPartition("orders", 0),
        new TopicPartition("orders", 1), new TopicPartition("orders", 2));
    consumer.assign(partitions);
    Map<TopicPartition, Long> beginning = new HashMap<>();
    partitions.forEach(tp -> beginning.put(tp, 0L));
    consumer.updateBeginningOffsets(beginning);
    for (int i = 0; i < 30; i++) {
      String flow = "flow-" + (i % 7);
      consumer.addRecord(recordWithValue("orders", i % 3, i / 3, flow, flow));
    }
    ConsumerRecords<String, String> poll = consumer.poll(Duration.ofMillis(10));
    List<String> seen = new ArrayList<>();

    Correlation.runWith("poll-loop", () -> kafka.forEach(poll, r -> {
      assertThat(Correlation.currentId()).isEqualTo(r.value());
      assertThat(MDC.get("correlation_id")).isEqualTo(r.value());
      assertThat(Correlation.current().orElseThrow().messageId())
          .isEqualTo("orders-" + r.partition() + "@" + r.offset());
      seen.add(r.value());
    }));

    assertThat(poll.count()).isEqualTo(30);
    assertThat(seen).hasSize(30);
    consumer.close();
  }

  @Test
  void forEachStopsAtTheFirstHandlerExceptionLikeALoop() {
    Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(record("orders", 0, i, "X-Correlation-ID", "flow-" + i));
    }
    byPartition.put(new TopicPartition("orders", 0), records);
    List<Long> handled = new ArrayList<>();
    RuntimeException boom = new RuntimeException("at offset 2");

    assertThatThrownBy(() -> kafka.forEach(new ConsumerRecords<>(byPartition), r -> {
      handled.add(r.offset());
      if (r.offset() == 2) {
        throw boom;
      }
    })).isSameAs(boom);
    assertThat(handled).containsExactly(0L, 1L, 2L);
  }

  @Test
  void theErrorHookLogsInsideTheFailingRecordsFlow() {
    List<String> hookLines = new ArrayList<>();
    KafkaCorrelation hooked = kafka.toBuilder()
        .errorHook((r, e) -> hookLines.add(MDC.get("correlation_id") + " " + MDC.get("message_id")
            + " " + e.getMessage()))
        .build();
    RuntimeException boom = new RuntimeException("boom");
    Consumer<ConsumerRecord<String, String>> failing = hooked.wrap(r -> {
      throw boom;
    });

    assertThatThrownBy(() -> failing.accept(record("orders", 3, 9L, "X-Correlation-ID", "f-9")))
        .isSameAs(boom);
    assertThatThrownBy(() -> hooked.forEach(new ConsumerRecords<>(Map.of(
        new TopicPartition("orders", 1), List.of(record("orders", 1, 4L, "X-Correlation-ID",
            "f-4")))), r -> {
              throw boom;
            })).isSameAs(boom);
    assertThat(hookLines).containsExactly("f-9 orders-3@9 boom", "f-4 orders-1@4 boom");
  }

  @Test
  void runWithOfAnInstancesContextWritesThatInstancesMdcKeys() {
    KafkaCorrelation custom = KafkaCorrelation.create(CorrelationConfig.builder()
        .mdcCorrelationKey("request_id").build());
    AtomicReference<String> mdc = new AtomicReference<>();

    Correlation.runWith(custom.context(record("orders", 0, 1L, "X-Correlation-ID", "r-1")),
        () -> mdc.set(MDC.get("request_id") + "/" + MDC.get("correlation_id")));

    assertThat(mdc.get()).isEqualTo("r-1/null");
  }

  @Test
  void readsAnAliasAndMatchesCaseWhenConfigured() {
    KafkaCorrelation aliased = KafkaCorrelation.create(CorrelationConfig.fromMap(Map.of(
        "correlation.header.aliases", "CORRELATION_ID",
        "correlation.header.ignore-case", "true")));
    assertThat(aliased.context(record("t", 0, 1L, "correlation_id", "celery-task-flow"))
        .correlationId()).isEqualTo("celery-task-flow");
    assertThat(aliased.context(record("t", 0, 1L, "x-correlation-id", "h2-flow"))
        .correlationId()).isEqualTo("h2-flow");
  }

  @Test
  void aCaseVariantIsNamedInTheWarnWhenNamesMatchExactly() {
    CorrelationContext flow = kafka.context(record("t", 0, 1L, "x-correlation-id", "h2-flow"));
    assertThat(flow.correlationId()).isNotEqualTo("h2-flow");
    assertThat(log.warnings()).singleElement().asString().contains("\"x-correlation-id\"");
  }

  @Test
  void ownConfigNamesTheHeadersAndMdcKeys() {
    KafkaCorrelation custom = KafkaCorrelation.create(CorrelationConfig.builder()
        .headerName("X-Request-ID").mdcCorrelationKey("request_id").build());
    AtomicReference<String> mdc = new AtomicReference<>();

    custom.<String, String>wrap(r -> mdc.set(MDC.get("request_id")))
        .accept(record("orders", 0, 1L, "X-Request-ID", "req-1", "X-Correlation-ID", "order-42"));

    assertThat(mdc.get()).isEqualTo("req-1");
    assertThat(MDC.get("request_id")).isNull();
  }

  @Test
  void fromMapReadsTheCorrelationKeysOfAClientsPropertiesAndIgnoresTheRest() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", "localhost:9092");
    props.put("correlation.header.name", "X-Request-ID");
    props.put("correlation.mdc.correlation.key", "request_id");
    KafkaCorrelation fromProps = KafkaCorrelation.fromMap(props);
    AtomicReference<String> mdc = new AtomicReference<>();

    fromProps.<String, String>wrap(r -> mdc.set(MDC.get("request_id")))
        .accept(record("orders", 0, 1L, "X-Request-ID", "req-1"));

    assertThat(mdc.get()).isEqualTo("req-1");
    assertThatThrownBy(() -> KafkaCorrelation.fromMap(Map.of("correlation.headr.name", "X")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("correlation.headr.name");
    assertThatThrownBy(() -> KafkaCorrelation.fromMap(null)).hasMessage("map == null");
  }

  @Test
  void nullArgumentsFailFast() {
    assertThatThrownBy(() -> kafka.context(null)).hasMessage("record == null");
    assertThatThrownBy(() -> kafka.wrap(null)).hasMessage("handler == null");
    assertThatThrownBy(() -> kafka.forEach(null, r -> { })).hasMessage("records == null");
    assertThatThrownBy(() -> KafkaCorrelation.create(null)).hasMessage("config == null");
    assertThatThrownBy(() -> kafka.inject(
        (org.apache.kafka.clients.producer.ProducerRecord<String, String>) null,
        CorrelationContext.of("f"))).hasMessage("record == null");
    assertThatThrownBy(() -> kafka.inject((Headers) null, CorrelationContext.of("f")))
        .hasMessage("headers == null");
    assertThatThrownBy(() -> kafka.inject(new RecordHeaders(), null)).hasMessage("flow == null");
    assertThatThrownBy(() -> kafka.inject(new org.apache.kafka.clients.producer.ProducerRecord<>(
        "t", "v"), null)).hasMessage("flow == null");
    assertThatThrownBy(() -> KafkaCorrelation.builder().errorHook(null))
        .hasMessage("errorHook == null");
  }

  /** A record at topic-partition@offset with the given header name/value pairs. */
  static ConsumerRecord<String, String> record(String topic, int partition, long offset,
      String... headers) {
    return record(topic, partition, offset, headers, "value");
  }

  private static ConsumerRecord<String, String> recordWithValue(String topic, int partition,
      long offset, String id, String value) {
    return record(topic, partition, offset, new String[] {"X-Correlation-ID", id}, value);
  }

  private static ConsumerRecord<String, String> record(String topic, int partition, long offset,
      String[] headers, String value) {
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>(topic, partition, offset, "key", value);
    for (int i = 0; i < headers.length; i += 2) {
      record.headers().add(headers[i], headers[i + 1].getBytes(UTF_8));
    }
    return record;
  }

  @Test
  void readsTheContextOfBareHeaders() {
    Headers headers = new RecordHeaders();
    headers.add("X-Correlation-ID", "flow-7".getBytes(UTF_8));
    headers.add("X-Causation-ID", "orders-0@3".getBytes(UTF_8));

    assertThat(kafka.context(headers, "payments-1@9"))
        .isEqualTo(CorrelationContext.of("flow-7", "payments-1@9", "orders-0@3"));
    assertThat(kafka.context(new RecordHeaders(), null).correlationId()).isNotBlank();
    assertThat(log.warnings()).singleElement().asString().contains("missing");
  }

  @Test
  void writesAnExplicitFlowIntoBareHeadersWithoutDuplicates() {
    Headers headers = new RecordHeaders();
    headers.add("X-Causation-ID", "stale".getBytes(UTF_8));
    headers.add("other", "kept".getBytes(UTF_8));

    kafka.injectHeaders(headers, CorrelationContext.of("flow-8", "orders-0@4", null));

    assertThat(new String(headers.lastHeader("X-Correlation-ID").value(), UTF_8)).isEqualTo("flow-8");
    assertThat(headers.headers("X-Causation-ID")).singleElement()
        .satisfies(h -> assertThat(new String(h.value(), UTF_8)).isEqualTo("orders-0@4"));
    assertThat(headers.lastHeader("other")).isNotNull();
  }

  @Test
  void injectHeadersDropsAStaleCauseForAFlowHandlingNoMessage() {
    Headers headers = new RecordHeaders();
    headers.add("X-Correlation-ID", "input-flow".getBytes(UTF_8));
    headers.add("X-Causation-ID", "input-0@1".getBytes(UTF_8));

    kafka.injectHeaders(headers, CorrelationContext.of("punctuation-flow"));

    assertThat(new String(headers.lastHeader("X-Correlation-ID").value(), UTF_8))
        .isEqualTo("punctuation-flow");
    assertThat(headers.lastHeader("X-Causation-ID")).isNull();
  }

  @Test
  void headersInjectedForAnExplicitFlowAreLeftAloneByInjectHeadersAndTheInterceptor() {
    Headers headers = new RecordHeaders();
    headers.add("X-Correlation-ID", "stale".getBytes(UTF_8));
    kafka.inject(headers, CorrelationContext.of("flow-b", "orders-0@4", null));

    kafka.injectHeaders(headers, CorrelationContext.of("flow-a"));
    CorrelationProducerInterceptor<String, String> interceptor =
        new CorrelationProducerInterceptor<>();
    interceptor.configure(Map.of());
    org.apache.kafka.clients.producer.ProducerRecord<String, String> sent =
        Correlation.supplyWith(CorrelationContext.of("flow-a", "in-0@1", null),
            () -> interceptor.onSend(new org.apache.kafka.clients.producer.ProducerRecord<>(
                "out", null, null, "k", "v", headers)));

    for (Headers written : List.of(headers, sent.headers())) {
      assertThat(written.headers("X-Correlation-ID")).singleElement()
          .satisfies(h -> assertThat(new String(h.value(), UTF_8)).isEqualTo("flow-b"));
      assertThat(new String(written.lastHeader("X-Causation-ID").value(), UTF_8))
          .isEqualTo("orders-0@4");
    }
  }
}
