package dev.correlation.it.sqs;

import static dev.correlation.it.sqs.SqsTestKit.receive;
import static dev.correlation.it.sqs.SqsTestKit.receiveFrom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationPropagator;
import dev.correlation.IdValidator;
import dev.correlation.it.sqs.SqsTestKit.Handled;
import dev.correlation.it.sqs.SqsTestKit.Kind;
import dev.correlation.it.sqs.SqsTestKit.Sqs;
import dev.correlation.sqs.SqsCorrelation;
import dev.correlation.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Messages from senders that do not use this library, some of them broken or hostile. */
class SqsForeignSenderIT {
  private final SqsTestKit kit = new SqsTestKit();
  // Own configuration per test: each WARN below must not be held back by an earlier one.
  private final SqsCorrelation sqs = SqsCorrelation.create(CorrelationConfig.builder().build());
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void cleanUp() {
    log.close();
    kit.close();
  }

  private static MessageAttributeValue string(String type, String value) {
    return MessageAttributeValue.builder().dataType(type).stringValue(value).build();
  }

  private static MessageAttributeValue binary(byte[] value) {
    return MessageAttributeValue.builder().dataType("Binary")
        .binaryValue(SdkBytes.fromByteArray(value)).build();
  }

  static Stream<Arguments> badAttributes() {
    return Stream.of(
        Arguments.of("a forged log line", Map.of("X-Correlation-ID",
            string("String", "abc\nINFO  [c=admin] payment approved")),
            "contains a control character", "abc\\nINFO  [c=admin] payment approved"),
        Arguments.of("Binary that is not UTF-8", Map.of("X-Correlation-ID",
            binary(new byte[] {'i', 'd', (byte) 0xC3, 0x28})), "not valid UTF-8", "id\\xc3("),
        Arguments.of("a custom String type with spaces", Map.of("X-Correlation-ID",
            string("String.legacy", "order 42")), "rejected by the validator", "order 42"),
        Arguments.of("an overlong ID", Map.of("X-Correlation-ID",
            string("String", "x".repeat(300))), "too long", "xxxxxxxx"),
        Arguments.of("no ID at all", Map.of("tenant", string("String", "acme")),
            "missing", "(none)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAttributes")
  void aBadIdGetsAFreshOneAndAnEscapedWarningAndTheMessageIsHandled(String what,
      Map<String, MessageAttributeValue> attributes, String reason, String shown) {
    String queue = kit.queue("foreign");
    String messageId = kit.plain.sendMessage(b -> b.queueUrl(queue).messageBody(what)
        .messageAttributes(attributes)).messageId();

    List<Handled> handled = new ArrayList<>();
    try (Sqs client = Kind.SYNC.client(sqs)) {
      sqs.forEach(receive(client, receiveFrom(queue), 1), m -> {
        handled.add(Handled.now(m));
        kit.delete(queue, m);
      });
    }

    assertThat(handled).singleElement().satisfies(h -> {
      assertThat(h.body()).isEqualTo(what);
      assertThat(h.contextMessageId()).isEqualTo(messageId);
      assertThat(h.correlationId()).matches("[0-9a-f-]{36}");
    });
    assertThat(log.warnings()).singleElement().asString()
        .contains("X-Correlation-ID", reason, shown, handled.get(0).correlationId())
        .doesNotContain("\n");
    assertThat(kit.count(queue)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodForeignAttributes")
  void aValidIdOfAnyAttributeTypeIsUsed(String type, MessageAttributeValue value, String id) {
    String queue = kit.queue("foreign-good");
    kit.plain.sendMessage(b -> b.queueUrl(queue).messageBody("b")
        .messageAttributes(Map.of("X-Correlation-ID", value,
            "X-Causation-ID", string("String", "upstream-message"))));

    try (Sqs client = Kind.ASYNC.client(sqs)) {
      Message m = receive(client, receiveFrom(queue), 1).get(0);

      assertThat(sqs.context(m).correlationId()).isEqualTo(id);
      assertThat(sqs.context(m).causationId()).isEqualTo("upstream-message");
      assertThat(log.warnings()).isEmpty();
    }
  }

  @Test
  void aNumberIdIsValidatedLikeAnyOther() {
    // SQS itself refuses a Number that is not a number, so a bad one can only be a valid number
    // that the configured validator rejects
    SqsCorrelation uuidsOnly = SqsCorrelation.create(CorrelationConfig.builder()
        .validator(IdValidator.strictUuid()).build());
    String queue = kit.queue("foreign-number");
    kit.plain.sendMessage(b -> b.queueUrl(queue).messageBody("b").messageAttributes(Map.of(
        "X-Correlation-ID", string("Number", "20240611"))));

    try (Sqs client = Kind.ASYNC.client(uuidsOnly)) {
      List<Handled> handled = SqsTestKit.handle(uuidsOnly, receive(client, receiveFrom(queue), 1));

      assertThat(handled).singleElement().extracting(Handled::correlationId)
          .isNotEqualTo("20240611");
      assertThat(log.warnings()).singleElement().asString()
          .contains("rejected by the validator", "\"20240611\"");
    }
  }

  static Stream<Arguments> goodForeignAttributes() {
    return Stream.of(
        Arguments.of("String", string("String", "legacy-7"), "legacy-7"),
        Arguments.of("Number", string("Number", "20240611"), "20240611"),
        Arguments.of("Binary", binary("flow-bin".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "flow-bin"),
        Arguments.of("String.uuid", string("String.uuid",
            "6f1c2b9e-3f4a-4c1e-9d2b-7a8e5f6c1d20"), "6f1c2b9e-3f4a-4c1e-9d2b-7a8e5f6c1d20"));
  }
}
