package dev.correlation.sqs;

import static dev.correlation.sqs.Attributes.stringOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.InterceptorContext;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Drives the interceptor's hooks the way the SDK does, on the threads it may use. */
class ExecutionInterceptorTest {
  private final ExecutorService sdkThread = Executors.newSingleThreadExecutor();
  private final ExecutionInterceptor interceptor =
      SqsCorrelation.create(CorrelationConfig.builder().build()).executionInterceptor();

  @AfterEach
  void stop() {
    sdkThread.shutdownNow();
  }

  /** beforeExecution here, modifyRequest on the "SDK thread" inside {@code sdkThreadFlow}. */
  private SdkRequest execute(ExecutionInterceptor target, SdkRequest request,
      CorrelationContext sdkThreadFlow) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    InterceptorContext context = InterceptorContext.builder().request(request).build();
    target.beforeExecution(context, attributes);
    Supplier<SdkRequest> modify = () -> target.modifyRequest(context, attributes);
    return CompletableFuture.supplyAsync(
        sdkThreadFlow == null ? modify : () -> Correlation.supplyWith(sdkThreadFlow, modify),
        sdkThread).join();
  }

  private static SendMessageRequest send() {
    return SendMessageRequest.builder().queueUrl("q").messageBody("b").build();
  }

  @Test
  void writesTheCallersFlowCapturedBeforeExecutionEvenWhenModifiedOnAnotherThread() {
    SendMessageRequest out = (SendMessageRequest) Correlation.supplyWith(
        CorrelationContext.of("caller-flow", "handled-msg", null),
        () -> execute(interceptor, send(), CorrelationContext.of("sdk-thread-flow", "x", null)));

    assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID")).isEqualTo("caller-flow");
    assertThat(stringOf(out.messageAttributes(), "X-Causation-ID")).isEqualTo("handled-msg");
  }

  @Test
  void aCallOutsideAnyFlowStartsOneRatherThanBorrowingTheSdkThreadsFlow() {
    SendMessageRequest out = (SendMessageRequest) execute(interceptor, send(),
        CorrelationContext.of("sdk-thread-flow", "x", null));

    assertThat(stringOf(out.messageAttributes(), "X-Correlation-ID"))
        .isNotBlank().isNotEqualTo("sdk-thread-flow");
    assertThat(out.messageAttributes()).doesNotContainKey("X-Causation-ID");
  }

  @Test
  void decoratesEveryEntryOfABatch() {
    SendMessageBatchRequest batch = SendMessageBatchRequest.builder().queueUrl("q").entries(
        SendMessageBatchRequestEntry.builder().id("1").messageBody("a").build(),
        SendMessageBatchRequestEntry.builder().id("2").messageBody("b").build()).build();

    SendMessageBatchRequest out = (SendMessageBatchRequest) Correlation.supplyWith("batch-flow",
        () -> execute(interceptor, batch, null));

    assertThat(out.entries()).allSatisfy(e ->
        assertThat(stringOf(e.messageAttributes(), "X-Correlation-ID")).isEqualTo("batch-flow"));
  }

  @Test
  void asksReceivesForOurAttributesAndLeavesOtherRequestsAlone() {
    ReceiveMessageRequest receive = (ReceiveMessageRequest) execute(interceptor,
        ReceiveMessageRequest.builder().queueUrl("q").build(), null);
    DeleteMessageRequest delete = DeleteMessageRequest.builder().queueUrl("q")
        .receiptHandle("r").build();

    assertThat(receive.messageAttributeNames())
        .containsExactly("X-Correlation-ID", "X-Causation-ID");
    assertThat(Correlation.supplyWith("f", () -> execute(interceptor, delete, null)))
        .isSameAs(delete);
  }

  @Test
  void strictInterceptorFailsTheSend() {
    ExecutionInterceptor strict = SqsCorrelation.builder().strict(true).build()
        .executionInterceptor();
    SendMessageRequest full = send().toBuilder().messageAttributes(Attributes.user(10)).build();

    assertThatThrownBy(() -> Correlation.runWith("f", () -> {
      ExecutionAttributes attributes = new ExecutionAttributes();
      InterceptorContext context = InterceptorContext.builder().request(full).build();
      strict.beforeExecution(context, attributes);
      strict.modifyRequest(context, attributes);
    })).isInstanceOf(SdkClientException.class).hasMessageContaining("to queue \"q\"");
  }

  @Test
  void loadsByNameWithTheProcessWideConfigurationAsTheSdkClassPathRegistrationDoes()
      throws Exception {
    ExecutionInterceptor loaded = (ExecutionInterceptor) Class
        .forName("dev.correlation.sqs.CorrelationExecutionInterceptor")
        .getConstructor().newInstance();
    Correlation.configure(CorrelationConfig.builder().headerName("X-Flow").build());

    SendMessageRequest out = (SendMessageRequest) Correlation.supplyWith("f",
        () -> execute(loaded, send(), null));

    assertThat(out.messageAttributes()).containsOnlyKeys("X-Flow");
    assertThat(loaded.toString()).contains("strict=false");
  }

  @Test
  void outsideAnyFlowARequestWithItsOwnValidCorrelationAttributeKeepsIt() {
    SendMessageRequest own = send().toBuilder()
        .messageAttributes(Map.of("X-Correlation-ID", Attributes.string("callers"))).build();

    assertThat(execute(interceptor, own, null)).isSameAs(own);
  }

  @Test
  void leavesARequestDecoratedForAnExplicitFlowAlone() {
    SendMessageRequest forB = SqsCorrelation.create().inject(send(),
        dev.correlation.CorrelationContext.of("flow-b"));

    SendMessageRequest out = (SendMessageRequest) Correlation.supplyWith("flow-a",
        () -> execute(interceptor, forB, null));

    assertThat(Attributes.stringOf(out.messageAttributes(), "X-Correlation-ID"))
        .isEqualTo("flow-b");
  }

  @Test
  void theMarkOfAnExplicitFlowIsNotOnTheWireAndNoValueBuiltElsewhereCarriesIt() {
    SendMessageRequest forB = SqsCorrelation.create().inject(send(),
        dev.correlation.CorrelationContext.of("flow-b"));
    software.amazon.awssdk.services.sqs.model.MessageAttributeValue marked =
        forB.messageAttributes().get("X-Correlation-ID");
    // what the SDK marshals: the same type text and value as any String attribute
    assertThat(marked).isEqualTo(Attributes.string("flow-b"));
    assertThat(marked.dataType()).isEqualTo("String");
    // the same content, built by the caller (a copy of a received message's attribute, say)
    SendMessageRequest copied = send().toBuilder()
        .messageAttributes(Map.of("X-Correlation-ID", Attributes.string("flow-b"))).build();

    SendMessageRequest out = (SendMessageRequest) Correlation.supplyWith("flow-a",
        () -> execute(interceptor, copied, null));

    assertThat(Attributes.stringOf(out.messageAttributes(), "X-Correlation-ID"))
        .isEqualTo("flow-a");
  }

  @Test
  void aDecoratedRequestStaysMarkedThroughTheCallersOwnCopies() {
    SendMessageRequest decorated = Correlation.supplyWith("flow-b",
        () -> SqsCorrelation.create().decorate(send()));
    SendMessageRequest copy = decorated.toBuilder().messageBody("changed").delaySeconds(5).build();

    SendMessageRequest out = (SendMessageRequest) Correlation.supplyWith("flow-a",
        () -> execute(interceptor, copy, null));

    assertThat(out).isSameAs(copy);
  }
}
