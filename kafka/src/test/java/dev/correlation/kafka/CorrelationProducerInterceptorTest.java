package dev.correlation.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.IdGenerator;
import dev.correlation.testing.LogCapture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorrelationProducerInterceptorTest {
  private final CorrelationProducerInterceptor<String, String> interceptor =
      new CorrelationProducerInterceptor<>();
  private final LogCapture log = new LogCapture(CorrelationProducerInterceptor.class);

  @AfterEach
  void detach() {
    log.close();
  }

  @Test
  void writesCurrentCorrelationIdInsideAFlow() {
    ProducerRecord<String, String> record = record();

    ProducerRecord<String, String> sent = sendIn(CorrelationContext.of("order-42"), record);

    assertThat(sent).isSameAs(record);
    assertThat(values(sent.headers(), "X-Correlation-ID")).containsExactly("order-42");
    assertThat(values(sent.headers(), "X-Causation-ID")).isEmpty();
  }

  @Test
  void writesMessageBeingHandledAsCausation() {
    ProducerRecord<String, String> sent =
        sendIn(CorrelationContext.of("order-42", "orders-0@7", "web-1"), record());

    assertThat(values(sent.headers(), "X-Correlation-ID")).containsExactly("order-42");
    assertThat(values(sent.headers(), "X-Causation-ID")).containsExactly("orders-0@7");
  }

  @Test
  void startsANewFlowAtTheEdge() {
    ProducerRecord<String, String> first = interceptor.onSend(record());
    ProducerRecord<String, String> second = interceptor.onSend(record());

    String id = values(first.headers(), "X-Correlation-ID").get(0);
    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    assertThat(values(second.headers(), "X-Correlation-ID")).doesNotContain(id).hasSize(1);
    assertThat(values(first.headers(), "X-Causation-ID")).isEmpty();
  }

  @Test
  void sendsWithoutIdAtTheEdgeWhenGenerationIsOff() {
    interceptor.configure(Map.of(CorrelationConfig.GENERATE_WHEN_MISSING, "false"));

    ProducerRecord<String, String> sent = interceptor.onSend(record());

    assertThat(sent.headers().toArray()).isEmpty();
  }

  @Test
  void outsideAnyFlowKeepsAValidCallerSetHeaderByteForByte() {
    byte[] callers = "caller-Set_ID.1:2+3/4=".getBytes(UTF_8);
    ProducerRecord<String, String> record = record();
    record.headers().add("X-Correlation-ID", callers);

    ProducerRecord<String, String> sent = interceptor.onSend(record);

    assertThat(sent.headers().headers("X-Correlation-ID")).hasSize(1);
    assertThat(sent.headers().lastHeader("X-Correlation-ID").value()).isSameAs(callers);
  }

  @Test
  void insideAFlowReplacesTheHeadersOfAForwardedRecord() {
    ProducerRecord<String, String> in = record();
    in.headers().add("X-Correlation-ID", "raw\nincoming".getBytes(UTF_8));
    in.headers().add("X-Causation-ID", "web-1".getBytes(UTF_8));
    in.headers().add("tenant", "acme".getBytes(UTF_8));
    ProducerRecord<String, String> forwarded =
        new ProducerRecord<>("out", null, "key", "value", in.headers());

    ProducerRecord<String, String> sent =
        sendIn(CorrelationContext.of("order-42", "orders-0@3", null), forwarded);

    assertThat(values(sent.headers(), "X-Correlation-ID")).containsExactly("order-42");
    assertThat(values(sent.headers(), "X-Causation-ID")).containsExactly("orders-0@3");
    assertThat(values(sent.headers(), "tenant")).containsExactly("acme");
  }

  @Test
  void outsideAnyFlowReplacesAnInvalidCallerSetHeaderAndWarns() {
    ProducerRecord<String, String> record = record();
    record.headers().add("X-Correlation-ID", "two words".getBytes(UTF_8));
    try (LogCapture core = new LogCapture(CorrelationPropagator.class)) {
      ProducerRecord<String, String> sent = interceptor.onSend(record);

      String id = values(sent.headers(), "X-Correlation-ID").get(0);
      assertThat(UUID.fromString(id).toString()).isEqualTo(id);
      assertThat(core.warnings()).singleElement().asString()
          .contains("outgoing header X-Correlation-ID").contains("\"two words\"");
    }
  }

  @Test
  void leavesARecordWrittenForAnExplicitFlowAlone() {
    KafkaCorrelation kafka = KafkaCorrelation.create();
    ProducerRecord<String, String> relayed =
        kafka.inject(record(), CorrelationContext.of("flow-b", "payments-0@4", null));

    ProducerRecord<String, String> sent =
        sendIn(CorrelationContext.of("flow-a", "orders-0@1", null), relayed);

    assertThat(values(sent.headers(), "X-Correlation-ID")).containsExactly("flow-b");
    assertThat(values(sent.headers(), "X-Causation-ID")).containsExactly("payments-0@4");
  }

  @Test
  void explicitInjectCopesWithReadOnlyHeaders() {
    ProducerRecord<String, String> sent = sendIn(CorrelationContext.of("flow-a"), record());
    ((RecordHeaders) sent.headers()).setReadOnly();

    ProducerRecord<String, String> again =
        KafkaCorrelation.create().inject(sent, CorrelationContext.of("flow-b"));

    assertThat(again).isNotSameAs(sent);
    assertThat(values(again.headers(), "X-Correlation-ID")).containsExactly("flow-b");
    assertThat(values(sent.headers(), "X-Correlation-ID")).containsExactly("flow-a");
  }

  @Test
  void aTopicNameInTheWarnIsEscaped() {
    Headers refusing = new RecordHeaders() {
      @Override
      public Headers add(Header header) {
        throw new UnsupportedOperationException("refused\nINFO forged");
      }
    };
    ProducerRecord<String, String> record = new ProducerRecord<>("t\nINFO forged", "k", "v") {
      @Override
      public Headers headers() {
        return refusing;
      }
    };
    interceptor.configure(Map.of(CorrelationConfig.MAX_LENGTH, "100")); // a WARN window of its own
    try (LogCapture core = new LogCapture(CorrelationPropagator.class)) {
      interceptor.onSend(record);
      assertThat(core.warnings()).singleElement().asString().doesNotContain("\n")
          .contains("t\\nINFO forged").contains("refused\\nINFO forged");
    }
  }

  @Test
  void replacesStaleCausationInsteadOfAddingASecondCopy() {
    ProducerRecord<String, String> record = record();
    record.headers().add("X-Causation-ID", "stale".getBytes(UTF_8));
    record.headers().add("X-Causation-ID", "staler".getBytes(UTF_8));

    ProducerRecord<String, String> sent =
        sendIn(CorrelationContext.of("order-42", "orders-1@9", null), record);

    assertThat(values(sent.headers(), "X-Causation-ID")).containsExactly("orders-1@9");
  }

  @Test
  void copiesARecordWhoseHeadersAreReadOnly() {
    ProducerRecord<String, String> record =
        new ProducerRecord<>("orders", 2, 1_700_000_000_000L, "key", "value");
    record.headers().add("tenant", "acme".getBytes(UTF_8));
    ((RecordHeaders) record.headers()).setReadOnly(); // as KafkaProducer leaves a sent record

    ProducerRecord<String, String> sent =
        sendIn(CorrelationContext.of("order-42", "orders-0@7", null), record);

    assertThat(sent).isNotSameAs(record);
    assertThat(sent.topic()).isEqualTo("orders");
    assertThat(sent.partition()).isEqualTo(2);
    assertThat(sent.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(sent.key()).isEqualTo("key");
    assertThat(sent.value()).isEqualTo("value");
    assertThat(keys(sent.headers())).containsExactly("tenant", "X-Correlation-ID", "X-Causation-ID");
    assertThat(values(sent.headers(), "X-Correlation-ID")).containsExactly("order-42");
    assertThat(values(sent.headers(), "X-Causation-ID")).containsExactly("orders-0@7");
    assertThat(keys(record.headers())).containsExactly("tenant");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void copiesASentRecordOnlyWhenItNeedsNewHeaders() {
    ProducerRecord<String, String> record = sendIn(CorrelationContext.of("order-42"), record());
    ((RecordHeaders) record.headers()).setReadOnly();

    ProducerRecord<String, String> again = sendIn(CorrelationContext.of("order-42"), record);

    assertThat(again).isSameAs(record);
    assertThat(values(again.headers(), "X-Correlation-ID")).containsExactly("order-42");
  }

  @ParameterizedTest
  @ValueSource(classes = {FailingGenerator.class, IllegalStateGenerator.class})
  void aBrokenGeneratorStillGivesTheRecordAnIdAndWarnsOnce(Class<?> generator) {
    interceptor.configure(Map.of(CorrelationConfig.GENERATOR, generator.getName()));
    try (LogCapture core = new LogCapture(CorrelationPropagator.class)) {
      ProducerRecord<String, String> record = record();

      ProducerRecord<String, String> first = interceptor.onSend(record);
      ProducerRecord<String, String> second = interceptor.onSend(record());

      assertThat(first).isSameAs(record);
      assertThat(values(first.headers(), "X-Correlation-ID")).singleElement().asString()
          .matches("[0-9a-f-]{36}");
      assertThat(values(second.headers(), "X-Correlation-ID")).hasSize(1);
      assertThat(core.warnings()).singleElement().asString()
          .contains("Bad ID from generator", generator.getName(), "using random UUID");
    }
  }

  @Test
  void neverThrowsWhenTheHeadersRefuseTheWriteAndWarnsOnceAMinute() {
    Headers refusing = new RecordHeaders() {
      @Override
      public Headers add(Header header) {
        throw new UnsupportedOperationException("not today");
      }

      @Override
      public Headers add(String key, byte[] value) {
        throw new UnsupportedOperationException("not today");
      }
    };
    try (LogCapture core = new LogCapture(CorrelationPropagator.class)) {
      ProducerRecord<String, String> record = withHeaders(refusing);

      ProducerRecord<String, String> first = sendIn(CorrelationContext.of("order-42"), record);
      ProducerRecord<String, String> second =
          sendIn(CorrelationContext.of("order-43"), withHeaders(refusing));

      assertThat(first).isSameAs(record);
      assertThat(first.headers().toArray()).isEmpty();
      assertThat(second.headers().toArray()).isEmpty();
      assertThat(core.warnings()).singleElement().asString()
          .contains("Could not write correlation headers to a record for topic orders",
              "sent without them");
    }
  }

  @Test
  void followsProcessWideConfigWithoutCorrelationKeys() {
    interceptor.configure(Map.of("bootstrap.servers", "localhost:9092", "client.id", "app"));
    Correlation.configure(CorrelationConfig.builder().headerName("X-Request-ID").build());

    ProducerRecord<String, String> sent = sendIn(CorrelationContext.of("order-42"), record());

    assertThat(keys(sent.headers())).containsExactly("X-Request-ID");
  }

  @Test
  void usesOwnConfigFromCorrelationKeys() {
    Map<String, Object> producerProps = new HashMap<>();
    producerProps.put("bootstrap.servers", "localhost:9092");
    producerProps.put("retries", 3); // non-string values of other keys are none of our business
    producerProps.put(CorrelationConfig.HEADER_NAME, "X-Trace");
    producerProps.put(CorrelationConfig.CAUSATION_HEADER_NAME, "X-Trace-Parent");
    interceptor.configure(producerProps);
    Correlation.configure(CorrelationConfig.builder().headerName("X-Request-ID").build());

    ProducerRecord<String, String> sent =
        sendIn(CorrelationContext.of("order-42", "orders-0@1", null), record());

    assertThat(keys(sent.headers())).containsExactly("X-Trace", "X-Trace-Parent");
  }

  @Test
  void rejectsUnknownCorrelationKeyNamingIt() {
    assertThatThrownBy(() -> interceptor.configure(Map.of("correlation.heder.name", "X")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation.heder.name");
  }

  @Test
  void rejectsNonStringCorrelationValueNamingIt() {
    assertThatThrownBy(() -> interceptor.configure(Map.of(CorrelationConfig.MAX_LENGTH, 64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(CorrelationConfig.MAX_LENGTH);
  }

  /** Used by name from configuration: a broken custom generator. */
  public static final class FailingGenerator implements IdGenerator {
    @Override
    public String newId() {
      throw new UnsupportedOperationException("generator broken");
    }
  }

  /** Throws what read-only headers throw, so the interceptor's copy fails too. */
  public static final class IllegalStateGenerator implements IdGenerator {
    @Override
    public String newId() {
      throw new IllegalStateException("generator broken");
    }
  }

  /** A record whose headers are {@code headers} itself (the constructor would copy them). */
  private static ProducerRecord<String, String> withHeaders(Headers headers) {
    return new ProducerRecord<>("orders", "k", "v") {
      @Override
      public Headers headers() {
        return headers;
      }
    };
  }

  private ProducerRecord<String, String> sendIn(CorrelationContext context,
      ProducerRecord<String, String> record) {
    AtomicReference<ProducerRecord<String, String>> sent = new AtomicReference<>();
    Correlation.runWith(context, () -> sent.set(interceptor.onSend(record)));
    return sent.get();
  }

  private static ProducerRecord<String, String> record() {
    return new ProducerRecord<>("orders", "key", "value");
  }

  static List<String> keys(Headers headers) {
    List<String> keys = new ArrayList<>();
    for (Header header : headers) {
      keys.add(header.key());
    }
    return keys;
  }

  static List<String> values(Headers headers, String name) {
    List<String> values = new ArrayList<>();
    for (Header header : headers.headers(name)) {
      values.add(new String(header.value(), UTF_8));
    }
    return values;
  }
}
