package dev.correlation.sqs;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import dev.correlation.sqs.SqsCorrelation;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The README's SQS snippets, as they are there, so that the build compiles them against the current
 * API; the it module's ReadmeExamplesTest checks that the README still says the same. Not run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);
  private final String orderId = "order-42";
  private final String queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
  private final String json = "{}";
  private final Message message = Message.builder().build();
  private final Map<String, String> properties = Map.of();

  void theInterceptor() {
    SqsCorrelation correlation = SqsCorrelation.create();   // follows Correlation.config()

    SqsClient sqs = SqsClient.builder()
        .overrideConfiguration(o -> o.addExecutionInterceptor(correlation.executionInterceptor()))
        .build();
    SqsAsyncClient sqsAsync = SqsAsyncClient.builder()
        .overrideConfiguration(o -> o.addExecutionInterceptor(correlation.executionInterceptor()))
        .build();

    Correlation.runWith(orderId, () ->
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(json)));   // carries orderId
  }

  void handlingOneFlowPerMessage(SqsCorrelation correlation, SqsClient sqs) {
    Consumer<Message> handler = correlation.wrap(message -> {
      log.info("charging card");                // MDC: correlation_id, message_id = SQS MessageId,
      process(message);                         //      causation_id = the message that caused it
    });

    ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10));
    correlation.forEach(response, handler);     // each message in its own flow, thread restored after

    CorrelationContext ctx = correlation.context(message);   // or open it yourself
  }

  void handlingWithAScopeOfYourOwn(SqsCorrelation correlation, SqsClient sqs) {
    Consumer<Message> handler = correlation.wrap(message -> {
      log.info("charging card");                // MDC: correlation_id, message_id = SQS MessageId,
      process(message);                         //      causation_id = the message that caused it
    });

    ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10));
    correlation.forEach(response, handler);     // each message in its own flow, thread restored after

    CorrelationContext ctx = correlation.context(message);   // or open it yourself:
    try (Scope scope = correlation.open(message)) { process(message); }
  }

  void strictMode() {
    SqsCorrelation strict = SqsCorrelation.builder().strict(true).build();
    // or from properties: correlation.sqs.strict=true next to the correlation.* keys
    SqsCorrelation fromProps = SqsCorrelation.fromMap(properties);
  }

  private void process(Message message) {}
}
