package dev.correlation.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

class ReceiveTest {
  private final SqsCorrelation sqs = SqsCorrelation.create(CorrelationConfig.builder().build());
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void detach() {
    log.close();
  }

  private static Message message(String messageId, Map<String, MessageAttributeValue> attributes) {
    return Message.builder().messageId(messageId).body("body").messageAttributes(attributes)
        .build();
  }

  private static Message message(String messageId, String correlationId) {
    return message(messageId, Map.of("X-Correlation-ID", Attributes.string(correlationId)));
  }

  @Test
  void contextHasTheIdTheSqsMessageIdAndTheCausation() {
    Message m = message("5fea7756-0ea4-451a-a703-a558b933e274", Map.of(
        "X-Correlation-ID", Attributes.string("order-42"),
        "X-Causation-ID", Attributes.string("a1b2c3")));

    assertThat(sqs.context(m)).isEqualTo(CorrelationContext.of("order-42",
        "5fea7756-0ea4-451a-a703-a558b933e274", "a1b2c3"));
    assertThat(log.warnings()).isEmpty();
  }

  static Stream<Arguments> acceptedTypes() {
    return Stream.of(
        Arguments.of("String.uuid", Attributes.typed("String.uuid", "flow-1")),
        Arguments.of("Number", Attributes.typed("Number", "12345")),
        Arguments.of("Number.int", Attributes.typed("Number.int", "678")),
        Arguments.of("Binary", Attributes.binary("flow-bytes")),
        Arguments.of("Binary.utf8", MessageAttributeValue.builder().dataType("Binary.utf8")
            .binaryValue(software.amazon.awssdk.core.SdkBytes.fromUtf8String("flow-b2")).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedTypes")
  void readsStringNumberAndBinaryAttributes(String type, MessageAttributeValue value) {
    String expected = value.stringValue() != null ? value.stringValue()
        : value.binaryValue().asUtf8String();

    CorrelationContext ctx = sqs.context(message("m", Map.of("X-Correlation-ID", value)));

    assertThat(ctx.correlationId()).isEqualTo(expected);
    assertThat(log.warnings()).isEmpty();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("contains a control character",
            Attributes.string("ok\nINFO forged line"), "ok\\nINFO forged line"),
        Arguments.of("not valid UTF-8", Attributes.binary(new byte[] {'a', (byte) 0xC3, '('}),
            "a\\xc3("),
        Arguments.of("rejected by the validator", Attributes.typed("Number", "12 34"), "12 34"),
        Arguments.of("of an unsupported type",
            Attributes.typed("Custom", "flow"), "MessageAttributeValue"),
        Arguments.of("of an unsupported type",
            MessageAttributeValue.builder().dataType("String").build(), "MessageAttributeValue"),
        Arguments.of("empty", Attributes.string(""), "\"\""));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("badValues")
  void badAttributeGetsAFreshIdAndAnEscapedWarning(String reason, MessageAttributeValue value,
      String shown) {
    CorrelationContext ctx = sqs.context(message("m-1", Map.of("X-Correlation-ID", value)));

    assertThat(ctx.correlationId()).isNotBlank().doesNotContain("\n", "forged", "12 34");
    assertThat(ctx.messageId()).isEqualTo("m-1");
    assertThat(log.warnings()).singleElement().asString()
        .contains("X-Correlation-ID", reason, shown, ctx.correlationId())
        .doesNotContain("\n");
  }

  @Test
  void aMessageWithoutOurAttributeIsHandledInAFreshFlow() {
    List<String> seen = new ArrayList<>();

    sqs.wrap(m -> seen.add(Correlation.currentId())).accept(message("m-2", Map.of()));

    assertThat(seen).singleElement().asString().isNotBlank();
    assertThat(log.warnings()).singleElement().asString().contains("missing");
  }

  @Test
  void wrappedHandlerRunsInTheMessagesFlowWithMdcAndRestoresTheThread() {
    List<String> seen = new ArrayList<>();
    Consumer<Message> handler = sqs.wrap(m -> seen.add(MDC.get("correlation_id") + " "
        + MDC.get("message_id") + " " + MDC.get("causation_id")));
    Message m = message("m-3", Map.of("X-Correlation-ID", Attributes.string("flow-3"),
        "X-Causation-ID", Attributes.string("m-0")));

    Correlation.runWith("outer", () -> {
      handler.accept(m);
      assertThat(Correlation.currentId()).isEqualTo("outer");
      assertThat(MDC.get("message_id")).isNull();
    });
    handler.accept(m);

    assertThat(seen).containsExactly("flow-3 m-3 m-0", "flow-3 m-3 m-0");
  }

  @Test
  void handlerExceptionPassesThroughUnchangedAfterTheScopeIsClosed() {
    IllegalStateException boom = new IllegalStateException("boom");
    Consumer<Message> handler = sqs.wrap(m -> {
      throw boom;
    });

    assertThatThrownBy(() -> handler.accept(message("m-4", "flow-4"))).isSameAs(boom);
    assertThat(Correlation.current()).isEmpty();
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void forEachHandlesEveryMessageInItsOwnFlow() {
    List<String> seen = new ArrayList<>();
    ReceiveMessageResponse response = ReceiveMessageResponse.builder().messages(
        message("m-a", "flow-a"), message("m-b", "flow-b"), message("m-c", "flow-c")).build();

    sqs.forEach(response, m -> seen.add(Correlation.currentId() + "@" + m.messageId()
        + "=" + Correlation.current().orElseThrow().messageId()));

    assertThat(seen).containsExactly("flow-a@m-a=m-a", "flow-b@m-b=m-b", "flow-c@m-c=m-c");
  }

  @Test
  void forEachStopsAtTheFirstHandlerException() {
    List<String> seen = new ArrayList<>();
    List<Message> messages = List.of(message("m-a", "flow-a"), message("m-b", "flow-b"),
        message("m-c", "flow-c"));

    assertThatThrownBy(() -> sqs.forEach(messages, m -> {
      seen.add(Correlation.currentId());
      if (m.messageId().equals("m-b")) {
        throw new IllegalArgumentException("bad order");
      }
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad order");
    assertThat(seen).containsExactly("flow-a", "flow-b");
    assertThat(Correlation.current()).isEmpty();
  }

  @Test
  void theErrorHookLogsInsideTheFailingMessagesFlow() {
    List<String> hookLines = new ArrayList<>();
    SqsCorrelation hooked = sqs.toBuilder().errorHook((m, e) -> hookLines.add(
        MDC.get("correlation_id") + " " + MDC.get("message_id") + " " + e.getMessage())).build();
    RuntimeException boom = new RuntimeException("boom");

    assertThatThrownBy(() -> hooked.wrap(m -> {
      throw boom;
    }).accept(message("m-5", "flow-5"))).isSameAs(boom);
    assertThatThrownBy(() -> hooked.forEach(List.of(message("m-6", "flow-6")), m -> {
      throw boom;
    })).isSameAs(boom);

    assertThat(hookLines).containsExactly("flow-5 m-5 boom", "flow-6 m-6 boom");
  }

  @Test
  void wrappingAWrappedHandlerReturnsItAndOpenGivesTheMessagesScope() {
    Consumer<Message> handler = sqs.wrap(m -> { });
    assertThat(sqs.wrap(handler)).isSameAs(handler);
    try (dev.correlation.Scope scope = sqs.open(message("m-7", "flow-7"))) {
      assertThat(MDC.get("correlation_id")).isEqualTo("flow-7");
      assertThat(MDC.get("message_id")).isEqualTo("m-7");
    }
  }

  @Test
  void configurationTimeNullsFailFast() {
    assertThatThrownBy(() -> sqs.wrap(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("handler == null");
    assertThatThrownBy(() -> sqs.forEach((List<Message>) null, m -> { }))
        .isInstanceOf(NullPointerException.class).hasMessage("messages == null");
    assertThatThrownBy(() -> sqs.context(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("message == null");
  }
}
