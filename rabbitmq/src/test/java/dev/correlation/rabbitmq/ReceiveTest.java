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

  @Test
  void fallsBackToCorrelationIdPropertyWithoutHeader() {
    AMQP.BasicProperties noHeaders = new AMQP.BasicProperties.Builder()
        .correlationId("legacy-9").build();
    AMQP.BasicProperties otherHeaders = new AMQP.BasicProperties.Builder()
        .headers(Map.of("tenant", "acme")).correlationId("legacy-9").build();

    assertThat(rabbit.context(ENVELOPE, noHeaders).correlationId()).isEqualTo("legacy-9");
    assertThat(rabbit.context(ENVELOPE, otherHeaders).correlationId()).isEqualTo("legacy-9");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void replacesBadHeaderWithFreshIdInsteadOfFallingBackToProperty() {
    Map<String, Object> headers = new HashMap<>();
    headers.put("X-Correlation-ID", 42);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(headers).correlationId("legacy-9").build();

    String id = rabbit.context(ENVELOPE, props).correlationId();

    assertThat(id).isNotIn("legacy-9", "42").isNotBlank();
    assertThat(log.warnings()).singleElement().asString()
        .contains("X-Correlation-ID", "unsupported type: java.lang.Integer", id);
  }

  @Test
  void replacesVoidHeaderWithFreshIdInsteadOfFallingBackToProperty() {
    Map<String, Object> headers = new HashMap<>();
    headers.put("X-Correlation-ID", null);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(headers).correlationId("legacy-9").build();

    assertThat(rabbit.context(ENVELOPE, props).correlationId()).isNotEqualTo("legacy-9");
    assertThat(log.warnings()).hasSize(1);
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
    RabbitCorrelation custom = RabbitCorrelation.create(
        CorrelationConfig.builder().headerName("X-Request-ID").build());
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
