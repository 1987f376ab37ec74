package dev.correlation.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.CorrelationConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

class ReceiveRequestTest {
  private final SqsCorrelation sqs = SqsCorrelation.create();

  private static ReceiveMessageRequest asking(String... names) {
    return ReceiveMessageRequest.builder().queueUrl("q").messageAttributeNames(names).build();
  }

  @Test
  void asksForOurAttributesWhenTheReceiveAsksForNone() {
    ReceiveMessageRequest out = sqs.decorate(ReceiveMessageRequest.builder().queueUrl("q").build());

    assertThat(out.messageAttributeNames()).containsExactly("X-Correlation-ID", "X-Causation-ID");
    assertThat(out.queueUrl()).isEqualTo("q");
  }

  @Test
  void addsOurNamesAfterTheUsersOwn() {
    assertThat(sqs.decorate(asking("tenant", "X-Causation-ID")).messageAttributeNames())
        .containsExactly("tenant", "X-Causation-ID", "X-Correlation-ID");
  }

  @ParameterizedTest
  @ValueSource(strings = {"All", ".*", "X-.*", "X-C.*"})
  void leavesAReceiveAloneThatAlreadyGetsOurs(String asked) {
    ReceiveMessageRequest request = asking("tenant", asked);

    assertThat(sqs.decorate(request)).isSameAs(request);
  }

  @Test
  void aPrefixWildcardCoversOnlyTheNamesItMatchesCaseSensitivelyAsSqsNamesAre() {
    assertThat(sqs.decorate(asking("X-Corr.*")).messageAttributeNames())
        .containsExactly("X-Corr.*", "X-Causation-ID");
    assertThat(sqs.decorate(asking("Y-.*", "x-.*", "all")).messageAttributeNames())
        .containsExactly("Y-.*", "x-.*", "all", "X-Correlation-ID", "X-Causation-ID");
  }

  @Test
  void asksForTheAliasesAndTheW3cAttributesItReads() {
    SqsCorrelation wide = SqsCorrelation.create(dev.correlation.CorrelationConfig.fromMap(
        java.util.Map.of("correlation.header.aliases", "CORRELATION_ID",
            "correlation.baggage", "read", "correlation.traceparent", "read")));
    ReceiveMessageRequest out = wide.decorate(ReceiveMessageRequest.builder().queueUrl("q")
        .messageAttributeNames("tenant").build());
    assertThat(out.messageAttributeNames()).containsExactly("tenant", "X-Correlation-ID",
        "X-Causation-ID", "CORRELATION_ID", "baggage", "traceparent");
  }

  @Test
  void usesTheConfiguredNames() {
    SqsCorrelation custom = SqsCorrelation.create(CorrelationConfig.builder()
        .headerName("flow").causationHeaderName("cause").build());

    assertThat(custom.decorate(asking()).messageAttributeNames())
        .isEqualTo(List.of("flow", "cause"));
  }
}
