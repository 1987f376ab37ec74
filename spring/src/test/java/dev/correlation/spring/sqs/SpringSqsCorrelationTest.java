package dev.correlation.spring.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import dev.correlation.sqs.SqsCorrelation;
import dev.correlation.testing.CleanThreadExtension;
import io.awspring.cloud.sqs.listener.MessageListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import io.awspring.cloud.sqs.support.converter.HeaderMapper;
import io.awspring.cloud.sqs.support.converter.SqsHeaderMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.InterceptorContext;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

@ExtendWith(CleanThreadExtension.class)
class SpringSqsCorrelationTest {
  // Its own config: rate-limited WARNs are counted per config instance.
  private final SpringSqsCorrelation sqs =
      SpringSqsCorrelation.create(CorrelationConfig.builder().build());

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  /** A message as Spring Cloud AWS hands it to a listener: the raw SQS message in a header. */
  private static Message<String> received(String flow, String messageId) {
    software.amazon.awssdk.services.sqs.model.Message raw =
        software.amazon.awssdk.services.sqs.model.Message.builder().messageId(messageId)
            .body("body").messageAttributes(Map.of("X-Correlation-ID", string(flow))).build();
    return MessageBuilder.withPayload("body")
        .setHeader(SqsHeaders.SQS_SOURCE_DATA_HEADER, raw).build();
  }

  /** What the MDC says while a listener runs: correlation_id/message_id. */
  private static String mdc() {
    return MDC.get("correlation_id") + "/" + MDC.get("message_id");
  }

  /** The attributes {@code SqsTemplate} would send for {@code message}, mapped on this thread. */
  private static Map<String, MessageAttributeValue> mapped(SpringSqsCorrelation sqs,
      Message<?> message) {
    HeaderMapper<software.amazon.awssdk.services.sqs.model.Message> mapper =
        sqs.headerMapper(new SqsHeaderMapper());
    return mapper.fromHeaders(message.getHeaders()).messageAttributes();
  }

  private static String attribute(Map<String, MessageAttributeValue> attributes, String name) {
    MessageAttributeValue value = attributes.get(name);
    return value == null ? null : value.stringValue();
  }

  // --- the shape: factories, builder, fromMap ---

  @Test
  void theBuilderKeepsEachSettingAndToBuilderStartsFromThem() {
    List<String> hooked = new ArrayList<>();
    SpringSqsCorrelation built = SpringSqsCorrelation.builder()
        .config(CorrelationConfig.builder().headerName("X-Flow").build())
        .strict(true)
        .errorHook((message, e) -> hooked.add(e.getMessage()))
        .build();
    Map<String, Object> ten = new HashMap<>(); // ten attributes: no room for ours
    for (int i = 0; i < 10; i++) {
      ten.put("custom-" + i, "v" + i);
    }

    for (SpringSqsCorrelation instance : List.of(built, built.toBuilder().build())) {
      assertThat(Correlation.supplyWith("flow-1",
          () -> attribute(mapped(instance, MessageBuilder.withPayload("p").build()), "X-Flow")))
          .isEqualTo("flow-1");
      assertThatThrownBy(() -> Correlation.runWith("flow-1",
          () -> mapped(instance, MessageBuilder.withPayload("p").copyHeaders(ten).build())))
          .isInstanceOf(SdkClientException.class).hasMessageContaining(SqsCorrelation.STRICT);
      assertThatThrownBy(() -> instance.wrap((Message<String> m) -> {
        throw new IllegalStateException("boom");
      }).onMessage(received("f", "m")));
    }
    assertThat(hooked).containsExactly("boom", "boom");
    assertThat(Correlation.supplyWith("flow-1", () -> mapped(built.toBuilder().strict(false)
        .build(), MessageBuilder.withPayload("p").copyHeaders(ten).build())))
        .hasSize(10).doesNotContainKey("X-Flow");
  }

  @Test
  void createFollowsTheProcessWideConfigurationAsItChanges() {
    SpringSqsCorrelation following = SpringSqsCorrelation.create();
    Correlation.configure(CorrelationConfig.builder().headerName("X-Later").build());
    assertThat(Correlation.supplyWith("flow-1",
        () -> attribute(mapped(following, MessageBuilder.withPayload("p").build()), "X-Later")))
        .isEqualTo("flow-1");
  }

  @Test
  void fromMapReadsTheKeysOfSqsCorrelationAndIgnoresTheRest() {
    SpringSqsCorrelation loaded = SpringSqsCorrelation.fromMap(Map.of(
        "spring.cloud.aws.region.static", "eu-west-1",
        "correlation.header.name", "X-Flow",
        SqsCorrelation.STRICT, "true"));

    assertThat(loaded.sqs().toString()).contains("strict=true");
    assertThat(Correlation.supplyWith("flow-1",
        () -> attribute(mapped(loaded, MessageBuilder.withPayload("p").build()), "X-Flow")))
        .isEqualTo("flow-1");
    assertThat(SpringSqsCorrelation.fromMap(Map.of()).sqs().toString()).contains("strict=false");
  }

  @Test
  void fromMapRejectsUnknownKeysAndBadFlagsNamingTheKey() {
    assertThatThrownBy(() -> SpringSqsCorrelation.fromMap(Map.of("correlation.hedaer", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("correlation.hedaer");
    assertThatThrownBy(() -> SpringSqsCorrelation.fromMap(Map.of(SqsCorrelation.STRICT, "yes")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SqsCorrelation.STRICT);
    assertThatThrownBy(() -> SpringSqsCorrelation.fromMap(null))
        .isInstanceOf(NullPointerException.class).hasMessage("map == null");
  }

  @Test
  void nullArgumentsFailFastNamingTheArgument() {
    Message<String> m = received("f", "m");
    CorrelationContext flow = CorrelationContext.of("f");
    assertThatThrownBy(() -> sqs.wrap(null))
        .isInstanceOf(NullPointerException.class).hasMessage("listener == null");
    assertThatThrownBy(() -> sqs.forEach(null, x -> { }))
        .isInstanceOf(NullPointerException.class).hasMessage("messages == null");
    assertThatThrownBy(() -> sqs.forEach(List.of(m), null))
        .isInstanceOf(NullPointerException.class).hasMessage("handler == null");
    assertThatThrownBy(() -> sqs.forEach(Arrays.asList(m, null), x -> { }))
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
    assertThatThrownBy(() -> sqs.inject(null, flow))
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
    assertThatThrownBy(() -> sqs.inject(m, null))
        .isInstanceOf(NullPointerException.class).hasMessage("flow == null");
    assertThatThrownBy(() -> sqs.context(null))
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
    assertThatThrownBy(() -> sqs.open(null))
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
    assertThatThrownBy(() -> SpringSqsCorrelation.create(null))
        .isInstanceOf(NullPointerException.class).hasMessage("config == null");
    assertThatThrownBy(() -> SpringSqsCorrelation.builder().errorHook(null))
        .isInstanceOf(NullPointerException.class).hasMessage("errorHook == null");
  }

  // --- context ---

  @Test
  void contextReadsTheRawSqsMessageElseTheSpringHeaders() {
    assertThat(sqs.context(received("flow-1", "m-1")))
        .isEqualTo(CorrelationContext.of("flow-1", "m-1", null));
    Message<String> mappedOnly = MessageBuilder.withPayload("p")
        .setHeader("X-Correlation-ID", "flow-2").setHeader("X-Causation-ID", "m-0").build();
    assertThat(sqs.context(mappedOnly)).isEqualTo(CorrelationContext.of("flow-2", null, "m-0"));
  }

  // --- wrap ---

  @Test
  void aWrappedListenerRunsInTheMessagesFlowAndLeavesTheThreadAsItWas() {
    List<String> seen = new ArrayList<>();
    MessageListener<String> listener = sqs.wrap(m -> seen.add(mdc()));

    try (Scope outer = Correlation.open("outer")) {
      listener.onMessage(received("flow-1", "m-1"));
      seen.add(Correlation.currentId());
    }
    assertThat(seen).containsExactly("flow-1/m-1", "outer");
  }

  @Test
  void theErrorHookRunsInsideTheFailingMessagesFlowAndTheExceptionPassesUnchanged() {
    List<String> hooked = new ArrayList<>();
    SpringSqsCorrelation hooking = sqs.toBuilder()
        .errorHook((m, e) -> hooked.add(mdc() + " " + e.getMessage() + " " + m.getPayload()))
        .build();
    IllegalStateException boom = new IllegalStateException("boom");
    MessageListener<String> listener = hooking.wrap(m -> {
      throw boom;
    });

    assertThatThrownBy(() -> listener.onMessage(received("flow-4", "m-4"))).isSameAs(boom);
    assertThat(hooked).containsExactly("flow-4/m-4 boom body");
    CleanThreadExtension.assertClean("after the failed listener");
  }

  @Test
  void wrappingTwiceReturnsTheSameListener() {
    MessageListener<String> once = sqs.wrap(m -> { });

    assertThat(sqs.wrap(once)).isSameAs(once);
    assertThat(SpringSqsCorrelation.create().wrap(once)).isNotSameAs(once);
  }

  @Test
  void aWrappedListenerPassesABatchToItsDelegate() {
    List<String> seen = new ArrayList<>();
    MessageListener<String> delegate = new MessageListener<>() {
      @Override
      public void onMessage(Message<String> message) { }

      @Override
      public void onMessage(Collection<Message<String>> messages) {
        seen.add(messages.size() + " " + Correlation.currentId());
      }
    };

    sqs.wrap(delegate).onMessage(List.of(received("a", "1"), received("b", "2")));
    assertThat(seen).containsExactly("2 null");
  }

  // --- forEach ---

  @Test
  void forEachHandlesEachMessageInItsOwnFlowAndStopsAtTheFirstFailure() {
    List<String> seen = new ArrayList<>();
    List<String> hooked = new ArrayList<>();
    SpringSqsCorrelation hooking = sqs.toBuilder().errorHook((m, e) -> hooked.add(mdc())).build();
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> hooking.forEach(
        List.of(received("a", "1"), received("b", "2"), received("c", "3")), m -> {
          seen.add(mdc());
          if (Correlation.currentId().equals("b")) {
            throw boom;
          }
        })).isSameAs(boom);
    assertThat(seen).containsExactly("a/1", "b/2");
    assertThat(hooked).containsExactly("b/2");
  }

  // --- the container's message interceptor ---

  @Test
  void theMessageInterceptorRunsTheErrorHookInTheFlowWhenProcessingFailed() {
    List<String> hooked = new ArrayList<>();
    MessageInterceptor<Object> interceptor = sqs.toBuilder()
        .errorHook((m, e) -> hooked.add(mdc() + " " + e.getMessage())).build()
        .messageInterceptor();
    @SuppressWarnings("unchecked")
    Message<Object> ok = (Message<Object>) (Message<?>) received("flow-ok", "m-ok");
    @SuppressWarnings("unchecked")
    Message<Object> failed = (Message<Object>) (Message<?>) received("flow-bad", "m-bad");

    interceptor.afterProcessing(interceptor.intercept(ok), null);
    interceptor.afterProcessing(interceptor.intercept(failed),
        new IllegalStateException("listener failed"));

    assertThat(hooked).containsExactly("flow-bad/m-bad listener failed");
    CleanThreadExtension.assertClean("after afterProcessing");
  }

  // --- inject ---

  @Test
  void injectReturnsACopyCarryingTheFlowWithPayloadAndHeadersKept() {
    Message<String> original = MessageBuilder.withPayload("order")
        .setHeader("tenant", "acme").setHeader("X-Correlation-ID", "stale").build();
    Message<String> forB =
        sqs.inject(original, CorrelationContext.of("flow-b", "orders-7", null));

    assertThat(forB.getPayload()).isEqualTo("order");
    assertThat(forB.getHeaders()).containsEntry("tenant", "acme");
    assertThat(forB.getHeaders().get("X-Correlation-ID")).hasToString("flow-b");
    assertThat(forB.getHeaders().get("X-Causation-ID")).hasToString("orders-7");
    assertThat(original.getHeaders().get("X-Correlation-ID")).isEqualTo("stale");
    assertThat(sqs.context(forB)).isEqualTo(CorrelationContext.of("flow-b", null, "orders-7"));
  }

  @Test
  void theHeaderMapperAndTheSdkInterceptorLeaveAnInjectedFlowAloneInsideAnotherFlow() {
    Message<String> forB = sqs.inject(MessageBuilder.withPayload("order").build(),
        CorrelationContext.of("flow-b", "orders-7", null));
    Message<String> plain = MessageBuilder.withPayload("order").build();
    CorrelationContext flowA = CorrelationContext.of("flow-a", "m-a", null);

    Map<String, MessageAttributeValue> injected =
        Correlation.supplyWith(flowA, () -> sendThroughTheSdk(mapped(sqs, forB), flowA));
    Map<String, MessageAttributeValue> current =
        Correlation.supplyWith(flowA, () -> sendThroughTheSdk(mapped(sqs, plain), flowA));

    assertThat(attribute(injected, "X-Correlation-ID")).isEqualTo("flow-b");
    assertThat(attribute(injected, "X-Causation-ID")).isEqualTo("orders-7");
    assertThat(attribute(current, "X-Correlation-ID")).isEqualTo("flow-a");
    assertThat(attribute(current, "X-Causation-ID")).isEqualTo("m-a");
  }

  /**
   * The attributes of a {@code SendMessage} request built from {@code attributes}, as the SDK
   * interceptor of this instance leaves them when the request is sent inside {@code flow}.
   */
  private Map<String, MessageAttributeValue> sendThroughTheSdk(
      Map<String, MessageAttributeValue> attributes, CorrelationContext flow) {
    ExecutionInterceptor interceptor = sqs.sqs().executionInterceptor();
    SendMessageRequest request = SendMessageRequest.builder().queueUrl("q").messageBody("b")
        .messageAttributes(attributes).build();
    ExecutionAttributes executionAttributes = new ExecutionAttributes();
    InterceptorContext context = InterceptorContext.builder().request(request).build();
    return Correlation.supplyWith(flow, () -> {
      interceptor.beforeExecution(context, executionAttributes);
      SdkRequest out = interceptor.modifyRequest(context, executionAttributes);
      return ((SendMessageRequest) out).messageAttributes();
    });
  }
}
