package dev.correlation.spring.sqs;

import dev.correlation.CorrelationContext;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import io.awspring.cloud.sqs.support.converter.SqsHeaderMapper;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The README's Spring Boot snippets for Spring Cloud AWS SQS, as they are there, so that the build
 * compiles them against the current API; the it module's ReadmeExamplesTest checks that the README
 * still says the same. Not run.
 */
@SuppressWarnings({"unused", "unchecked"})
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);
  private final SpringSqsCorrelation springSqsCorrelation;

  ReadmeExamples(SpringSqsCorrelation springSqsCorrelation) {
    this.springSqsCorrelation = springSqsCorrelation;
  }

  @SqsListener("orders")
  void onOrders(List<Message<String>> messages) {             // org.springframework.messaging.Message
    springSqsCorrelation.forEach(messages, this::handle);     // SpringSqsCorrelation bean
  }

  void builtByHand(Message<String> received, Message<String> message, Executor relay) {
    SpringSqsCorrelation sqs = SpringSqsCorrelation.builder()            // or create(), fromMap(...)
        .errorHook((failed, e) -> log.error("order failed", e))          // logged in the message's flow
        .build();
    SqsAsyncClient client = SqsAsyncClient.builder()
        .overrideConfiguration(o -> o.addExecutionInterceptor(sqs.sqs().executionInterceptor()))
        .build();
    SqsTemplate template = SqsTemplate.builder().sqsAsyncClient(client)
        .configureDefaultConverter(c -> c.setHeaderMapper(sqs.headerMapper(new SqsHeaderMapper())))
        .build();
    SqsMessageListenerContainer<String> container = SqsMessageListenerContainer.<String>builder()
        .sqsAsyncClient(client).queueNames("orders")
        .messageListener(sqs.wrap(delivered -> handle(delivered)))   // or .messageInterceptor(sqs.messageInterceptor())
        .build();

    // a send for a flow that is not current on this thread
    CorrelationContext flow = sqs.context(received);
    relay.execute(() -> template.send("shipments", sqs.inject(message, flow)));
  }

  private void handle(Message<String> message) {}
}
