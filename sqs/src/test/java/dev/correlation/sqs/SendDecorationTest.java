package dev.correlation.sqs;

import static dev.correlation.sqs.Attributes.stringOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.testing.LogCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class SendDecorationTest {
  static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";

  // A fresh configuration per test: WARNs are rate limited per configuration.
  private final SqsCorrelation sqs = SqsCorrelation.create(CorrelationConfig.builder().build());
  private final SqsCorrelation strict =
      SqsCorrelation.builder().config(CorrelationConfig.builder().build()).strict(true).build();
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void detach() {
    log.close();
  }

  private static SendMessageRequest send(Map<String, MessageAttributeValue> attributes) {
    return SendMessageRequest.builder().queueUrl(QUEUE).messageBody("body")
        .messageAttributes(attributes).build();
  }

  private static SendMessageBatchRequestEntry entry(String id,
      Map<String, MessageAttributeValue> attributes) {
    return SendMessageBatchRequestEntry.builder().id(id).messageBody("body " + id)
        .messageAttributes(attributes).build();
  }

  @Test
  void writesTheCurrentFlowAsAStringAttributeNextToTheUsersOwn() {
    SendMessageRequest out = Correlation.supplyWith("order-42",
        () -> sqs.decorate(send(Attributes.user(1))));

    assertThat(out.messageAttributes()).containsOnlyKeys("user-0", "X-Correlation-ID");
    assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID")).isEqualTo("order-42");
    assertThat(out.messageBody()).isEqualTo("body");
    assertThat(out.queueUrl()).isEqualTo(QUEUE);
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void writesCausationWhileAMessageIsBeingHandled() {
    SendMessageRequest out = Correlation.supplyWith(
        CorrelationContext.of("order-42", "sqs-message-7", "earlier"),
        () -> sqs.decorate(send(Map.of())));

    assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID")).isEqualTo("order-42");
    assertThat(stringOf(out.messageAttributes(), "X-Causation-ID")).isEqualTo("sqs-message-7");
  }

  @Test
  void outsideAnyFlowKeepsAValidCallerSetCorrelationAttributeOfAnyType() {
    SendMessageRequest asString = send(Map.of("X-Correlation-ID", Attributes.string("callers")));
    SendMessageRequest asBinary = send(Map.of("X-Correlation-ID", Attributes.binary("callers")));

    assertThat(sqs.decorate(asString)).isSameAs(asString);
    assertThat(sqs.decorate(asBinary)).isSameAs(asBinary);
  }

  @Test
  void insideAFlowReplacesTheAttributeOfAForwardedMessage() {
    SendMessageRequest forwarded = send(Map.of("X-Correlation-ID",
        Attributes.string("raw incoming"), "tenant", Attributes.string("acme")));

    SendMessageRequest out = Correlation.supplyWith(CorrelationContext.of("flow-a", "m-1", null),
        () -> sqs.decorate(forwarded));

    assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID")).isEqualTo("flow-a");
    assertThat(stringOf(out.messageAttributes(), "X-Causation-ID")).isEqualTo("m-1");
    assertThat(stringOf(out.messageAttributes(), "tenant")).isEqualTo("acme");
  }

  @Test
  void anExplicitFlowIsWrittenAndTheInterceptorLeavesItAlone() {
    CorrelationContext flowB = CorrelationContext.of("flow-b", "m-b", null);
    SendMessageRequest forB = sqs.inject(send(Map.of()), flowB);
    SendMessageBatchRequest batchForB = sqs.inject(SendMessageBatchRequest.builder()
        .queueUrl(QUEUE).entries(entry("x", Map.of())).build(), flowB);
    SendMessageBatchRequestEntry entryForB = sqs.inject(entry("y", Map.of()), flowB);

    Correlation.runWith(CorrelationContext.of("flow-a", "m-a", null), () -> {
      SendMessageRequest out = sqs.decorateCaptured(forB, Correlation.currentContext());
      SendMessageBatchRequest batch = sqs.decorateCaptured(SendMessageBatchRequest.builder()
          .queueUrl(QUEUE).entries(batchForB.entries().get(0), entryForB).build(),
          Correlation.currentContext());
      assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID")).isEqualTo("flow-b");
      assertThat(stringOf(out.messageAttributes(), "X-Causation-ID")).isEqualTo("m-b");
      assertThat(batch.entries()).allSatisfy(e -> assertThat(
          stringOf(e.messageAttributes(), "X-Correlation-ID")).isEqualTo("flow-b"));
    });
  }

  @Test
  void entryIdsAndQueueUrlsAreEscapedInTheWarningAndTheStrictException() {
    String queue = "https://sqs/q\nINFO forged queue";
    SendMessageBatchRequest batch = SendMessageBatchRequest.builder().queueUrl(queue).entries(
        entry("e1\nINFO forged", Attributes.user(10))).build();

    Correlation.runWith("flow", () -> sqs.decorate(batch));
    assertThatThrownBy(() -> Correlation.runWith("flow", () -> strict.decorate(batch)))
        .isInstanceOf(SdkClientException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")
            .contains("e1\\nINFO forged").contains("q\\nINFO forged queue"));
    assertThat(log.warnings()).singleElement().asString().doesNotContain("\n")
        .contains("e1\\nINFO forged").contains("q\\nINFO forged queue");
  }

  @Test
  void startsAFlowForAMessageSentOutsideAnyUnlessGenerationIsOff() {
    SendMessageRequest out = sqs.decorate(send(Map.of()));
    SqsCorrelation noGeneration = SqsCorrelation.create(
        CorrelationConfig.builder().generateWhenMissing(false).build());
    SendMessageRequest request = send(Map.of());

    assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID")).isNotBlank();
    assertThat(out.messageAttributes()).doesNotContainKey("X-Causation-ID");
    assertThat(noGeneration.decorate(request)).isSameAs(request);
  }

  @Test
  void nineUserAttributesKeepCorrelationAndSkipCausationWithAWarningNamingTheQueue() {
    SendMessageRequest out = Correlation.supplyWith(
        CorrelationContext.of("flow-9", "handled-message", null),
        () -> sqs.decorate(send(Attributes.user(9))));

    assertThat(out.messageAttributes()).hasSize(10);
    assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID")).isEqualTo("flow-9");
    assertThat(out.messageAttributes()).doesNotContainKey("X-Causation-ID");
    assertThat(log.warnings()).singleElement().asString()
        .contains("X-Causation-ID", "no room", QUEUE, "10 of 10");
  }

  @Test
  void tenUserAttributesSendTheMessageUnchangedWithAWarning() {
    SendMessageRequest request = send(Attributes.user(10));

    SendMessageRequest out = Correlation.supplyWith("flow-10", () -> sqs.decorate(request));

    assertThat(out).isSameAs(request);
    assertThat(log.warnings()).singleElement().asString()
        .contains("X-Correlation-ID", "no room", QUEUE);
  }

  @Test
  void replacesAStaleCausationCopyEvenWhenTheMessageIsFull() {
    Map<String, MessageAttributeValue> attributes = new java.util.LinkedHashMap<>(
        Attributes.user(8));
    attributes.put("X-Correlation-ID", Attributes.string("forwarded"));
    attributes.put("X-Causation-ID", Attributes.string("stale"));

    SendMessageRequest out = Correlation.supplyWith(
        CorrelationContext.of("flow", "now-handled", null),
        () -> sqs.decorate(send(attributes)));

    assertThat(out.messageAttributes()).hasSize(10);
    assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID")).isEqualTo("flow");
    assertThat(stringOf(out.messageAttributes(), "X-Causation-ID")).isEqualTo("now-handled");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void decoratesEveryBatchEntryOnItsOwn() {
    SendMessageBatchRequest batch = SendMessageBatchRequest.builder().queueUrl(QUEUE).entries(
        entry("a", Map.of()),
        entry("b", Map.of("X-Correlation-ID", Attributes.string("callers-b"))),
        entry("c", Attributes.user(10)),
        entry("d", Attributes.user(3))).build();

    SendMessageBatchRequest out = Correlation.supplyWith("batch-flow", () -> sqs.decorate(batch));

    List<SendMessageBatchRequestEntry> entries = out.entries();
    assertThat(entries).extracting(SendMessageBatchRequestEntry::id)
        .containsExactly("a", "b", "c", "d");
    assertThat(stringOf(entries.get(0).messageAttributes(), "X-Correlation-ID"))
        .isEqualTo("batch-flow");
    assertThat(stringOf(entries.get(1).messageAttributes(), "X-Correlation-ID"))
        .as("a forwarded copy is replaced inside a flow").isEqualTo("batch-flow");
    assertThat(entries.get(2)).isSameAs(batch.entries().get(2));
    assertThat(entries.get(3).messageAttributes()).hasSize(4);
    assertThat(stringOf(entries.get(3).messageAttributes(), "X-Correlation-ID"))
        .isEqualTo("batch-flow");
    assertThat(log.warnings()).singleElement().asString()
        .contains(QUEUE, "batch entry \"c\"", "X-Correlation-ID");
  }

  @Test
  void theEntriesOfABatchShareOneValueOfEachAttributeButOutsideAFlowEachStartsItsOwn() {
    SendMessageBatchRequest batch = SendMessageBatchRequest.builder().queueUrl(QUEUE).entries(
        entry("a", Map.of()), entry("b", Map.of()), entry("c", Map.of())).build();

    List<SendMessageBatchRequestEntry> inFlow = Correlation.supplyWith(
        CorrelationContext.of("flow", "now-handled", null), () -> sqs.decorate(batch)).entries();
    List<SendMessageBatchRequestEntry> outside = sqs.decorate(batch).entries();

    MessageAttributeValue id = inFlow.get(0).messageAttributes().get("X-Correlation-ID");
    MessageAttributeValue cause = inFlow.get(0).messageAttributes().get("X-Causation-ID");
    assertThat(inFlow).allSatisfy(e -> {
      assertThat(e.messageAttributes().get("X-Correlation-ID")).isSameAs(id);
      assertThat(e.messageAttributes().get("X-Causation-ID")).isSameAs(cause);
    });
    assertThat(id.stringValue()).isEqualTo("flow");
    assertThat(cause.stringValue()).isEqualTo("now-handled");
    assertThat(outside).extracting(e -> stringOf(e.messageAttributes(), "X-Correlation-ID"))
        .doesNotHaveDuplicates().doesNotContainNull();
  }

  @Test
  void aSingleEntryIsNamedInTheWarningWithoutAQueue() {
    SendMessageBatchRequestEntry full = entry("e-7", Attributes.user(10));
    SendMessageBatchRequestEntry roomy = entry("e-8", Map.of());

    Correlation.runWith("flow", () -> {
      assertThat(sqs.decorate(full)).isSameAs(full);
      assertThat(stringOf(sqs.decorate(roomy).messageAttributes(), "X-Correlation-ID"))
          .isEqualTo("flow");
    });
    assertThat(log.warnings()).singleElement().asString().contains("batch entry \"e-7\"")
        .doesNotContain("queue");
  }

  @Test
  void strictModeFailsTheSendNamingTheEntryAndAttributeWithoutAlsoWarning() {
    SendMessageBatchRequest batch = SendMessageBatchRequest.builder().queueUrl(QUEUE).entries(
        entry("fits", Map.of()), entry("full", Attributes.user(10))).build();

    assertThatThrownBy(() -> Correlation.runWith("flow", () -> strict.decorate(batch)))
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining(QUEUE)
        .hasMessageContaining("batch entry \"full\"")
        .hasMessageContaining("no room for message attribute X-Correlation-ID")
        .hasMessageContaining("correlation.sqs.strict");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void strictModeAlsoFailsWhenOnlyCausationDoesNotFit() {
    SendMessageRequest request = send(Attributes.user(9));

    assertThatThrownBy(() -> Correlation.runWith(CorrelationContext.of("flow", "m-1", null),
        () -> strict.decorate(request)))
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining("no room for message attribute X-Causation-ID");
  }

  @Test
  void strictModeSendsWhatFits() {
    SendMessageRequest out = Correlation.supplyWith(CorrelationContext.of("flow", "m-1", null),
        () -> strict.decorate(send(Attributes.user(8))));

    assertThat(out.messageAttributes()).hasSize(10);
    assertThat(stringOf(out.messageAttributes(), "X-Causation-ID")).isEqualTo("m-1");
  }
}
