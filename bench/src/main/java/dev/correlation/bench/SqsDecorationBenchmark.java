package dev.correlation.bench;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.sqs.SqsCorrelation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * SQS send side: a request as an application builds it, then ours, inside a flow handling a
 * message, so both attributes are added. One message, and a batch of ten entries.
 *
 * <ul>
 *   <li>{@code baseline*}: building the request, no library;
 *   <li>{@code floor*}: by hand, with the SDK's own builders, the same two attributes
 *       (X-Correlation-ID, X-Causation-ID) added to a copy of the request (built once per batch);
 *   <li>{@code ours*}: what the SDK runs with our execution interceptor configured:
 *       {@code beforeExecution} (the caller's flow kept in the request's execution attributes) and
 *       {@code modifyRequest} (the attributes written);
 *   <li>{@code oursDecorate*}: the public {@code SqsCorrelation.decorate}, for code that builds
 *       requests itself; it also marks what it writes as final, so that an interceptor on another
 *       thread leaves it alone (an entry in a weak identity set: the bytes above {@code ours*}).
 * </ul>
 *
 * (OpenTelemetry instruments the AWS SDK through its own interceptor that makes spans for every
 * SDK call; Brave has no SQS instrumentation; neither is comparable here.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class SqsDecorationBenchmark {
  private static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
  private final SqsCorrelation ours = SqsCorrelation.create();
  private final ExecutionInterceptor interceptor = ours.executionInterceptor();
  // One per request in the SDK too, with or without us: reused, so that only our entry counts.
  private final ExecutionAttributes attributes = new ExecutionAttributes();
  private final Call call = new Call();
  private dev.correlation.Scope flow;
  private AutoCloseable floorFlow;

  @Setup(Level.Iteration)
  public void openFlow() {
    flow = Correlation.open(CorrelationContext.of(
        "7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "5fea7756-2f4d-4a4e-9c11-3f6a5e2b1d0c", null));
    floorFlow = Floor.open("7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f",
        "5fea7756-2f4d-4a4e-9c11-3f6a5e2b1d0c");
  }

  @TearDown(Level.Iteration)
  public void closeFlow() throws Exception {
    floorFlow.close();
    flow.close();
  }

  private static SendMessageRequest one() {
    return SendMessageRequest.builder().queueUrl(QUEUE).messageBody("{\"order\":42}").build();
  }

  private static SendMessageBatchRequest batch() {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
    for (int i = 0; i < 10; i++) {
      entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
          .messageBody("{\"order\":42}").build());
    }
    return SendMessageBatchRequest.builder().queueUrl(QUEUE).entries(entries).build();
  }

  @Benchmark
  public SendMessageRequest baselineOne() {
    return one();
  }

  private static Map<String, MessageAttributeValue> floorAttributes(
      Map<String, MessageAttributeValue> given, MessageAttributeValue id,
      MessageAttributeValue cause) {
    Map<String, MessageAttributeValue> attributes = new HashMap<>(given);
    attributes.put(Floor.HEADER, id);
    attributes.put(Floor.CAUSATION, cause);
    return attributes;
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  @Benchmark
  public SendMessageRequest floorOne() {
    SendMessageRequest request = one();
    Floor.Flow current = Floor.current();
    return request.toBuilder().messageAttributes(floorAttributes(request.messageAttributes(),
        string(current.id), string(current.messageId))).build();
  }

  @Benchmark
  public SendMessageBatchRequest floorBatchOf10() {
    SendMessageBatchRequest request = batch();
    Floor.Flow current = Floor.current();
    MessageAttributeValue id = string(current.id); // immutable: built once for every entry
    MessageAttributeValue cause = string(current.messageId);
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(request.entries().size());
    for (SendMessageBatchRequestEntry entry : request.entries()) {
      entries.add(entry.toBuilder()
          .messageAttributes(floorAttributes(entry.messageAttributes(), id, cause)).build());
    }
    return request.toBuilder().entries(entries).build();
  }

  @Benchmark
  public SdkRequest oursOne() {
    return send(one());
  }

  @Benchmark
  public SendMessageRequest oursDecorateOne() {
    return ours.decorate(one());
  }

  /** What the SDK runs for each request: our interceptor's two steps, on the caller's thread. */
  private SdkRequest send(SdkRequest request) {
    call.request = request;
    interceptor.beforeExecution(call, attributes);
    return interceptor.modifyRequest(call, attributes);
  }

  @Benchmark
  public SendMessageBatchRequest baselineBatchOf10() {
    return batch();
  }

  @Benchmark
  public SdkRequest oursBatchOf10() {
    return send(batch());
  }

  @Benchmark
  public SendMessageBatchRequest oursDecorateBatchOf10() {
    return ours.decorate(batch());
  }

  /**
   * The SDK's per-request context, reused: the SDK makes one per request whether or not an
   * interceptor is configured, so only what the interceptor does with it is ours.
   */
  private static final class Call implements Context.ModifyRequest {
    SdkRequest request;

    @Override
    public SdkRequest request() {
      return request;
    }
  }
}
