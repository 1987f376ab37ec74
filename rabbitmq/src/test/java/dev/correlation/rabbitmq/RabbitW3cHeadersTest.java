package dev.correlation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The W3C headers through AMQP headers, with no change to this module. */
class RabbitW3cHeadersTest {
  @Test
  void publishMergesOurMemberIntoTheBaggageHeader() {
    RabbitCorrelation rabbit = RabbitCorrelation.create(
        CorrelationConfig.fromMap(Map.of("correlation.baggage", "write")));
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(Map.of("baggage", LongStringHelper.asLongString("tenant=acme"))).build();
    AMQP.BasicProperties sent =
        Correlation.supplyWith("order-42", () -> rabbit.postProcessor().process(props));
    assertThat(sent.getHeaders().get("baggage").toString())
        .isEqualTo("tenant=acme,correlation_id=order-42");
    assertThat(sent.getHeaders().get("X-Correlation-ID").toString()).isEqualTo("order-42");
  }

  @Test
  void receiveReadsTheIdFromABaggageOrTraceparentLongString() {
    RabbitCorrelation rabbit = RabbitCorrelation.create(CorrelationConfig.fromMap(Map.of(
        "correlation.baggage", "read", "correlation.traceparent", "read")));
    LongString traceparent = LongStringHelper.asLongString(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    AMQP.BasicProperties both = new AMQP.BasicProperties.Builder().headers(Map.of(
        "traceparent", traceparent,
        "baggage", LongStringHelper.asLongString("a=1, correlation_id=order-42"))).build();
    assertThat(rabbit.context(null, both).correlationId()).isEqualTo("order-42");
    AMQP.BasicProperties traceOnly = new AMQP.BasicProperties.Builder()
        .headers(Map.of("traceparent", traceparent)).build();
    assertThat(rabbit.context(null, traceOnly).correlationId())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }
}
