package dev.correlation.sqs;

import static dev.correlation.sqs.Attributes.stringOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class ConfigurationTest {
  private static SendMessageRequest full() {
    return SendMessageRequest.builder().queueUrl("q").messageBody("b")
        .messageAttributes(Attributes.user(10)).build();
  }

  @Test
  void fromMapReadsStrictAndHandsTheRestToCore() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("correlation.sqs.strict", " TRUE ");
    settings.put("correlation.header.name", "X-Flow");
    settings.put("queue.url", "ignored, not ours");

    SqsCorrelation sqs = SqsCorrelation.fromMap(settings);

    assertThatThrownBy(() -> sqs.decorate(full())).isInstanceOf(SdkClientException.class)
        .hasMessageContaining("X-Flow");
    assertThat(settings).containsKey("correlation.sqs.strict"); // the caller's map is untouched
    assertThat(sqs.toString()).contains("strict=true", "X-Flow");
  }

  @Test
  void fromMapWithoutStrictIsLenient() {
    SendMessageRequest request = full();

    SqsCorrelation sqs = SqsCorrelation.fromMap(Map.of("correlation.sqs.strict", "false"));

    assertThat(sqs.decorate(request)).isSameAs(request);
    assertThat(SqsCorrelation.fromMap(Map.of()).decorate(request)).isSameAs(request);
  }

  @Test
  void fromMapRejectsBadValuesNamingTheKey() {
    assertThatThrownBy(() -> SqsCorrelation.fromMap(Map.of("correlation.sqs.strict", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation.sqs.strict").hasMessageContaining("yes");
    assertThatThrownBy(() -> SqsCorrelation.fromMap(Map.of("correlation.sqs.strict", true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation.sqs.strict").hasMessageContaining("Boolean");
    assertThatThrownBy(() -> SqsCorrelation.fromMap(Map.of("correlation.sqs.stric", "true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'correlation.sqs.stric'")
        .hasMessageContaining("knows correlation.sqs.strict");
    assertThatThrownBy(() -> SqsCorrelation.fromMap(Map.of("correlation.headr.name", "X")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation.headr.name");
    assertThatThrownBy(() -> SqsCorrelation.fromMap(null))
        .isInstanceOf(NullPointerException.class).hasMessage("map == null");
  }

  @Test
  void createFollowsTheProcessWideConfigurationAsItChanges() {
    SqsCorrelation sqs = SqsCorrelation.create();
    SendMessageRequest request = SendMessageRequest.builder().queueUrl("q").build();

    Correlation.configure(CorrelationConfig.builder().headerName("X-Flow").build());
    SendMessageRequest out = Correlation.supplyWith("f", () -> sqs.decorate(request));

    assertThat(stringOf(out.messageAttributes(), "X-Flow")).isEqualTo("f");
  }

  @Test
  void builderFailsFastOnNull() {
    assertThatThrownBy(() -> SqsCorrelation.builder().config(null))
        .isInstanceOf(NullPointerException.class).hasMessage("config == null");
    assertThatThrownBy(() -> SqsCorrelation.create(null))
        .isInstanceOf(NullPointerException.class).hasMessage("config == null");
  }
}
