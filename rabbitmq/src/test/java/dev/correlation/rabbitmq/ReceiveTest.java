package dev.correlation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import dev.correlation.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ReceiveTest {
  private static final Envelope ENVELOPE = new Envelope(7L, false, "", "orders");
  // its own config: WARNs are rate-limited per configuration
  private final RabbitCorrelation rabbit =
      RabbitCorrelation.create(CorrelationConfig.builder().build());
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void detach() {
    log.close();
  }

  private static AMQP.BasicProperties withHeader(Object value) {
    Map<String, Object> headers = new HashMap<>();
    headers.put("X-Correlation-ID", value);
    return new AMQP.BasicProperties.Builder().headers(headers).build();
  }

  @Test
  void readsHeaderArrivingAsLongStringStringOrBytes() {
    for (Object value : new Object[] {LongStringHelper.asLongString("flow-1"), "flow-1",
        "flow-1".getBytes(StandardCharsets.UTF_8)}) {
      assertThat(rabbit.context(ENVELOPE, withHeader(value)).correlationId())
          .as("%s", value.getClass()).isEqualTo("flow-1");
    }
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void takesMessageIdFromPropertyAndCausationFromHeader() {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(Map.of("X-Correlation-ID", LongStringHelper.asLongString("flow-1"),
            "X-Causation-ID", LongStringHelper.asLongString("msg-0")))
        .messageId("msg-1").build();

    assertThat(rabbit.context(ENVELOPE, props))
        .isEqualTo(CorrelationContext.of("flow-1", "msg-1", "msg-0"));
  }

  @Test
  void prefersHeaderOverCorrelationIdProperty() {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(Map.of("X-Correlation-ID", LongStringHelper.asLongString("flow-1")))
        .correlationId("rpc-7").build();

    assertThat(rabbit.context(ENVELOPE, props).correlationId()).isEqualTo("flow-1");
  }

  private final RabbitCorrelation withFallback = RabbitCorrelation.builder()
      .config(CorrelationConfig.builder().build()).correlationIdFallback(true).build();

  @Test
  void doesNotReadTheCorrelationIdPropertyByDefault() {
    AMQP.BasicProperties rpcRequest = new AMQP.BasicProperties.Builder()
        .correlationId("1").replyTo("amq.gen-reply").build(); // what RpcClient sends
    AMQP.BasicProperties celeryTask = new AMQP.BasicProperties.Builder()
        .correlationId("6b0a1c2e-celery-task-id").build();

    assertThat(rabbit.context(ENVELOPE, rpcRequest).correlationId()).isNotEqualTo("1");
    assertThat(rabbit.context(ENVELOPE, celeryTask).correlationId())
        .isNotEqualTo("6b0a1c2e-celery-task-id");
  }

  @Test
  void fallsBackToCorrelationIdPropertyWithoutHeaderWhenAskedTo() {
    AMQP.BasicProperties noHeaders = new AMQP.BasicProperties.Builder()
        .correlationId("legacy-9").build();
    AMQP.BasicProperties otherHeaders = new AMQP.BasicProperties.Builder()
        .headers(Map.of("tenant", "acme")).correlationId("legacy-9").build();

    assertThat(withFallback.context(ENVELOPE, noHeaders).correlationId()).isEqualTo("legacy-9");
    assertThat(withFallback.context(ENVELOPE, otherHeaders).correlationId())
        .isEqualTo("legacy-9");
    assertThat(RabbitCorrelation.fromMap(Map.of(RabbitCorrelation.CORRELATION_ID_FALLBACK,
        "true")).context(ENVELOPE, noHeaders).correlationId()).isEqualTo("legacy-9");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void replacesBadHeaderWithFreshIdInsteadOfFallingBackToProperty() {
    Map<String, Object> headers = new HashMap<>();
    headers.put("X-Correlation-ID", 42);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(headers).correlationId("legacy-9").build();

    String id = withFallback.context(ENVELOPE, props).correlationId();

    assertThat(id).isNotIn("legacy-9", "42").isNotBlank();
    assertThat(log.warnings()).singleElement().asString()
        .contains("X-Correlation-ID", "unsupported type: java.lang.Integer", id);
  }

  @Test
  void treatsAVoidHeaderExactlyAsAnAbsentOne() {
    Map<String, Object> headers = new HashMap<>();
    headers.put("X-Correlation-ID", null); // pika's None
    headers.put("CORRELATION_ID", "celery-flow");
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(headers).correlationId("legacy-9").build();
    RabbitCorrelation aliased = RabbitCorrelation.create(CorrelationConfig.builder()
        .headerAliases(List.of("CORRELATION_ID")).build());

    assertThat(withFallback.context(ENVELOPE, props).correlationId()).isEqualTo("legacy-9");
    assertThat(aliased.context(ENVELOPE, props).correlationId()).isEqualTo("celery-flow");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void anAmqpArrayIsAValueOfTheWrongTypeEvenNextToAValidProperty() {
    byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
    for (Object array : List.of(List.of(abc), List.of(abc, abc), List.of(List.of(abc)),
        List.of(LongStringHelper.asLongString("abc")))) {
      AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
          .headers(Map.of("X-Correlation-ID", array)).correlationId("abc").build();
      assertThat(withFallback.context(ENVELOPE, props).correlationId()).isNotEqualTo("abc");
    }
    assertThat(log.warnings()).singleElement().asString().contains("unsupported type");
  }

  @Test
  void readsCeleryTasksFlowThroughAnAlias() {
    // asgi-correlation-id's Celery extension publishes the flow as header CORRELATION_ID
    RabbitCorrelation celery = RabbitCorrelation.fromMap(Map.of(
        "correlation.header.aliases", "CORRELATION_ID"));
    AMQP.BasicProperties task = new AMQP.BasicProperties.Builder()
        .headers(Map.of("CORRELATION_ID", LongStringHelper.asLongString("flow-from-python")))
        .correlationId("task-id-1").build();

    assertThat(celery.context(ENVELOPE, task).correlationId()).isEqualTo("flow-from-python");
  }

  @Test
  void escapesBadHeaderInTheWarning() {
    String id = rabbit.context(ENVELOPE,
        withHeader(LongStringHelper.asLongString("ok\nINFO forged line"))).correlationId();

    assertThat(id).doesNotContain("\n").isNotEqualTo("ok");
    assertThat(log.warnings()).singleElement().asString()
        .contains("control character", "ok\\x0aINFO forged line").doesNotContain("\n");
  }

  @Test
  void startsFreshFlowWithoutHeaderOrProperty() {
    CorrelationContext first = rabbit.context(ENVELOPE, new AMQP.BasicProperties());
    CorrelationContext second = rabbit.context(null, null);

    assertThat(first.correlationId()).isNotBlank().isNotEqualTo(second.correlationId());
    assertThat(first.messageId()).isNull();
    assertThat(first.causationId()).isNull();
  }

  @Test
  void readsGetResponseLikeDelivery() {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(Map.of("X-Correlation-ID", LongStringHelper.asLongString("flow-1")))
        .messageId("msg-1").build();

    CorrelationContext context = rabbit.context(new GetResponse(ENVELOPE, props, new byte[0], 0));

    assertThat(context).isEqualTo(CorrelationContext.of("flow-1", "msg-1", null));
    Scope scope = rabbit.open(new GetResponse(ENVELOPE, props, new byte[0], 0));
    try {
      assertThat(Correlation.current()).contains(context);
      assertThat(MDC.get("message_id")).isEqualTo("msg-1");
    } finally {
      scope.close();
    }
    assertThatThrownBy(() -> rabbit.context((GetResponse) null))
        .isInstanceOf(NullPointerException.class).hasMessage("response == null");
  }

  @Test
  void dropsUnusableMessageIdWithWarning() {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(Map.of("X-Correlation-ID", "flow-1")).messageId("has space").build();

    CorrelationContext context = rabbit.context(ENVELOPE, props);

    assertThat(context.correlationId()).isEqualTo("flow-1");
    assertThat(context.messageId()).isNull();
    assertThat(log.warnings()).hasSize(1);
  }

  @Test
  void readsConfiguredHeaderName() {
    RabbitCorrelation custom = RabbitCorrelation.builder()
        .config(CorrelationConfig.builder().headerName("X-Request-ID").build())
        .correlationIdFallback(true).build();
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(Map.of("X-Request-ID", LongStringHelper.asLongString("flow-1"),
            "X-Correlation-ID", LongStringHelper.asLongString("other")))
        .build();
    AMQP.BasicProperties propertyOnly = new AMQP.BasicProperties.Builder()
        .correlationId("legacy-9").build();

    assertThat(custom.context(ENVELOPE, props).correlationId()).isEqualTo("flow-1");
    assertThat(custom.context(ENVELOPE, propertyOnly).correlationId()).isEqualTo("legacy-9");
  }
}
