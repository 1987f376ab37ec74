package dev.correlation.it.sqs;

import static dev.correlation.it.sqs.SqsTestKit.handle;
import static dev.correlation.it.sqs.SqsTestKit.receive;
import static dev.correlation.it.sqs.SqsTestKit.receiveFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.it.sqs.SqsTestKit.Handled;
import dev.correlation.it.sqs.SqsTestKit.Kind;
import dev.correlation.it.sqs.SqsTestKit.Sqs;
import dev.correlation.sqs.SqsCorrelation;
import dev.correlation.testing.LogCapture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The 10-attribute limit, enforced by the server as SQS does. */
class SqsAttributeLimitIT {
  private final SqsTestKit kit = new SqsTestKit();
  // Own configurations: WARNs are rate limited per configuration.
  private final SqsCorrelation sqs = SqsCorrelation.create(CorrelationConfig.builder().build());
  private final SqsCorrelation strict = SqsCorrelation.fromMap(Map.of(
      "correlation.sqs.strict", "true", "correlation.trust.incoming", "true"));
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void cleanUp() {
    log.close();
    kit.close();
  }

  private static Map<String, MessageAttributeValue> user(int count) {
    Map<String, MessageAttributeValue> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      map.put("user-" + i, MessageAttributeValue.builder().dataType("String")
          .stringValue("v" + i).build());
    }
    return map;
  }

  private static SendMessageRequest send(String queue, int userAttributes) {
    return SendMessageRequest.builder().queueUrl(queue).messageBody("b")
        .messageAttributes(user(userAttributes)).build();
  }

  @Test
  void theServerReallyRejectsAnEleventhAttribute() {
    String queue = kit.queue("eleven");

    assertThatThrownBy(() -> kit.plain.sendMessage(send(queue, 11)))
        .isInstanceOf(SqsException.class);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void nineUserAttributesKeepTheCorrelationAndSkipTheCausationWithAWarning(Kind kind) {
    String queue = kit.queue("nine");
    try (Sqs client = kind.client(sqs)) {
      Correlation.runWith(CorrelationContext.of("flow-9", "handled-msg", null),
          () -> client.send(send(queue, 9)));

      Message m = receive(client, receiveFrom(queue).toBuilder().messageAttributeNames("All")
          .build(), 1).get(0);

      assertThat(m.messageAttributes()).hasSize(10).containsKey("user-8")
          .doesNotContainKey("X-Causation-ID");
      assertThat(sqs.context(m).correlationId()).isEqualTo("flow-9");
      assertThat(log.warnings()).singleElement().asString()
          .contains("Skipped header X-Causation-ID", "no room", queue);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void tenUserAttributesAreSentWithoutOursAndAWarning(Kind kind) {
    String queue = kit.queue("ten");
    try (Sqs client = kind.client(sqs)) {
      String messageId = Correlation.supplyWith("flow-10",
          () -> client.send(send(queue, 10))).messageId();

      List<Handled> handled = handle(sqs, receive(client, receiveFrom(queue).toBuilder()
          .messageAttributeNames("All").build(), 1));

      assertThat(messageId).isNotBlank();
      assertThat(handled).singleElement().satisfies(h -> {
        assertThat(h.messageId()).isEqualTo(messageId);
        assertThat(h.correlationId()).isNotEqualTo("flow-10"); // nothing carried it: a new flow
      });
      assertThat(log.warnings()).first().asString()
          .contains("Skipped header X-Correlation-ID", "no room", queue);
    }
  }

  @Test
  void strictModeFailsTheSyncSendBeforeItLeaves() {
    String queue = kit.queue("strict-sync");
    try (Sqs client = Kind.SYNC.client(strict)) {
      assertThatThrownBy(() -> Correlation.runWith("flow-s", () -> client.send(send(queue, 10))))
          .isInstanceOf(SdkClientException.class)
          .hasMessageContaining(queue)
          .hasMessageContaining("no room for message attribute X-Correlation-ID");
      assertThatThrownBy(() -> Correlation.runWith(CorrelationContext.of("flow-s", "m", null),
          () -> client.sendBatch(SendMessageBatchRequest.builder().queueUrl(queue).entries(
              SendMessageBatchRequestEntry.builder().id("roomy").messageBody("a").build(),
              SendMessageBatchRequestEntry.builder().id("nine").messageBody("b")
                  .messageAttributes(user(9)).build()).build())))
          .isInstanceOf(SdkClientException.class)
          .hasMessageContaining("batch entry \"nine\"")
          .hasMessageContaining("X-Causation-ID");

      assertThat(kit.plain.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages())
          .as("nothing reached the queue").isEmpty();
      assertThat(kit.count(queue)).isZero();
      assertThat(log.warnings()).as("the exception says it; no WARN on top").isEmpty();
    }
  }

  @Test
  void strictModeFailsTheAsyncSendsFuture() {
    String queue = kit.queue("strict-async");
    try (SqsAsyncClient async = SqsTestKit.BROKER.asyncClient()
        .overrideConfiguration(o -> o.addExecutionInterceptor(strict.executionInterceptor()))
        .build()) {
      var future = Correlation.supplyWith("flow-a", () -> async.sendMessage(send(queue, 10)));

      assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(SdkClientException.class)
          .hasMessageContaining("no room for message attribute X-Correlation-ID");
      assertThat(kit.count(queue)).isZero();
    }
  }

  @Test
  void strictModeSendsMessagesThatHaveRoom() {
    String queue = kit.queue("strict-ok");
    try (Sqs client = Kind.SYNC.client(strict)) {
      Correlation.runWith(CorrelationContext.of("flow-ok", "m-1", null),
          () -> client.send(send(queue, 8)));

      Message m = receive(client, receiveFrom(queue), 1).get(0);

      assertThat(strict.context(m)).isEqualTo(CorrelationContext.of("flow-ok", m.messageId(),
          "m-1"));
    }
  }
}
