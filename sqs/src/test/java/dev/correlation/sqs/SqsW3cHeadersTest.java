package dev.correlation.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** The W3C headers as SQS message attributes, with no change to this module. */
class SqsW3cHeadersTest {
  private final SqsCorrelation sqs = SqsCorrelation.create(CorrelationConfig.fromMap(Map.of(
      "correlation.baggage", "both", "correlation.traceparent", "read")));

  @Test
  void baggageIsMergedAndCountsInTheBudgetAfterOurs() {
    SendMessageRequest roomy = SendMessageRequest.builder().queueUrl("q").messageBody("b")
        .messageAttributes(Map.of("baggage", Attributes.string("tenant=acme"))).build();
    Map<String, ?> sent = Correlation.supplyWith("order-42", () -> sqs.decorate(roomy))
        .messageAttributes();
    assertThat(Attributes.stringOf(sqs.decorate(roomy).messageAttributes(), "baggage"))
        .as("outside a flow: a new ID, in both places").isNotEqualTo("tenant=acme");
    assertThat(Attributes.stringOf(Correlation.supplyWith("order-42",
        () -> sqs.decorate(roomy)).messageAttributes(), "baggage"))
        .isEqualTo("tenant=acme,correlation_id=order-42");
    assertThat(sent).containsKeys("X-Correlation-ID", "baggage");

    // 8 of the user's own: ours and the causation fit, a new baggage attribute does not
    SendMessageRequest tight = SendMessageRequest.builder().queueUrl("q").messageBody("b")
        .messageAttributes(Attributes.user(8)).build();
    Map<String, ?> full = Correlation.supplyWith(CorrelationContext.of("order-42", "m-1", null),
        () -> sqs.decorate(tight)).messageAttributes();
    assertThat(full).hasSize(10).containsKeys("X-Correlation-ID", "X-Causation-ID")
        .doesNotContainKey("baggage");
  }

  @Test
  void receiveReadsBaggageThenTraceparentAttributes() {
    Message both = Message.builder().messageId("m-1").body("b").messageAttributes(Map.of(
        "traceparent", Attributes.string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        "baggage", Attributes.string("correlation_id=order-42"))).build();
    assertThat(sqs.context(both).correlationId()).isEqualTo("order-42");
    Message traceOnly = Message.builder().messageId("m-2").body("b").messageAttributes(Map.of(
        "traceparent", Attributes.string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")))
        .build();
    assertThat(sqs.context(traceOnly).correlationId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }
}
