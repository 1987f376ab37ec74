package dev.correlation.sqs;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import java.util.Objects;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Writes the caller's flow into every message an SQS client sends, and makes every receive ask
 * for it. Add it to a sync or async client:
 *
 * <pre>{@code
 * SqsClient sqs = SqsClient.builder()
 *     .overrideConfiguration(o -> o.addExecutionInterceptor(sqsCorrelation.executionInterceptor()))
 *     .build();
 * }</pre>
 *
 * <p>It captures the caller's context in {@code beforeExecution}, the one hook the SDK runs on the
 * calling thread, and writes it in {@code modifyRequest}, wherever that runs: an async call made
 * from a {@code CompletableFuture} stage on another executor carries the ID of the thread that made
 * the call. {@code SendMessage} and every {@code SendMessageBatch} entry get the attributes, by the
 * rules and within the 10-attribute limit described in {@link SqsCorrelation}: inside a flow the
 * flow's ID replaces any correlation attribute (a message built from a received one's attributes
 * must not carry the raw value on); outside any flow a valid caller-set one is kept; a request
 * decorated for an explicit flow ({@link SqsCorrelation#inject(SendMessageRequest,
 * CorrelationContext)}) is left alone. {@code ReceiveMessage} gets our attribute names added
 * to {@code messageAttributeNames} unless it already asks for them (by name, prefix wildcard,
 * {@code All} or {@code .*}). Other requests, and requests to other services, pass unchanged.
 *
 * <p>The public no-argument constructor uses the process-wide configuration and is not strict;
 * it lets the SDK load this class by name, from a
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} file on the class path,
 * for every client of the process. Stateless apart from its configuration; thread safe.
 */
public final class CorrelationExecutionInterceptor implements ExecutionInterceptor {
  private static final ExecutionAttribute<CorrelationContext> CALLER_FLOW =
      new ExecutionAttribute<>("dev.correlation.sqs.CallerFlow");

  private final SqsCorrelation sqs;

  /**
   * With the process-wide configuration ({@link Correlation#config()}, followed as it changes),
   * not strict. For the SDK's class path registration; in code, prefer
   * {@link SqsCorrelation#executionInterceptor()}.
   */
  public CorrelationExecutionInterceptor() {
    this(SqsCorrelation.create());
  }

  CorrelationExecutionInterceptor(SqsCorrelation sqs) {
    this.sqs = Objects.requireNonNull(sqs, "sqs == null");
  }

  /** Remembers the calling thread's flow for the sends that {@link #modifyRequest} rewrites. */
  @Override
  public void beforeExecution(Context.BeforeExecution context,
      ExecutionAttributes executionAttributes) {
    SdkRequest request = context.request();
    if (request instanceof SendMessageRequest || request instanceof SendMessageBatchRequest) {
      CorrelationContext caller = Correlation.currentContext();
      if (caller != null) {
        executionAttributes.putAttribute(CALLER_FLOW, caller);
      }
    }
  }

  /**
   * Writes the remembered flow into a send, or adds our names to a receive.
   *
   * @throws SdkClientException in strict mode, when a message has no room for an attribute of ours
   */
  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context,
      ExecutionAttributes executionAttributes) {
    SdkRequest request = context.request();
    if (request instanceof SendMessageRequest) {
      return sqs.decorateCaptured((SendMessageRequest) request,
          executionAttributes.getAttribute(CALLER_FLOW));
    }
    if (request instanceof SendMessageBatchRequest) {
      return sqs.decorateCaptured((SendMessageBatchRequest) request,
          executionAttributes.getAttribute(CALLER_FLOW));
    }
    if (request instanceof ReceiveMessageRequest) {
      return sqs.decorate((ReceiveMessageRequest) request);
    }
    return request;
  }

  @Override
  public String toString() {
    return "CorrelationExecutionInterceptor{" + sqs + '}';
  }
}
