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
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * SQS send side: a request as an application builds it, then our decoration (what the execution
 * interceptor does in {@code modifyRequest}), inside a flow handling a message, so both
 * attributes are added. One message, and a batch of ten entries. {@code baseline*}: building the
 * request, no library. {@code floor*}: by hand, with the SDK's own builders, the same two
 * attributes (X-Correlation-ID, X-Causation-ID) added to a copy of the request. (OpenTelemetry instruments the AWS SDK through its own interceptor that
 * makes spans for every SDK call; Brave has no SQS instrumentation; neither is comparable here.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class SqsDecorationBenchmark {
  private static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
  private final SqsCorrelation ours = SqsCorrelation.create();
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
      Map<String, MessageAttributeValue> given) {
    Floor.Flow current = Floor.current();
    Map<String, MessageAttributeValue> attributes = new HashMap<>(given);
    attributes.put(Floor.HEADER,
        MessageAttributeValue.builder().dataType("String").stringValue(current.id).build());
    attributes.put(Floor.CAUSATION,
        MessageAttributeValue.builder().dataType("String").stringValue(current.messageId).build());
    return attributes;
  }

  @Benchmark
  public SendMessageRequest floorOne() {
    SendMessageRequest request = one();
    return request.toBuilder().messageAttributes(floorAttributes(request.messageAttributes()))
        .build();
  }

  @Benchmark
  public SendMessageBatchRequest floorBatchOf10() {
    SendMessageBatchRequest request = batch();
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(request.entries().size());
    for (SendMessageBatchRequestEntry entry : request.entries()) {
      entries.add(entry.toBuilder().messageAttributes(floorAttributes(entry.messageAttributes()))
          .build());
    }
    return request.toBuilder().entries(entries).build();
  }

  @Benchmark
  public SendMessageRequest oursOne() {
    return ours.decorate(one());
  }

  @Benchmark
  public SendMessageBatchRequest baselineBatchOf10() {
    return batch();
  }

  @Benchmark
  public SendMessageBatchRequest oursBatchOf10() {
    return ours.decorate(batch());
  }
}
