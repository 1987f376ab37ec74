package dev.correlation.spring.amqp;

import dev.correlation.CorrelationContext;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * The README's Spring Boot snippets for Spring AMQP, as they are there, so that the build compiles
 * them against the current API; the it module's ReadmeExamplesTest checks that the README still
 * says the same. Not run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);
  private final SpringRabbitCorrelation springRabbitCorrelation;

  ReadmeExamples(SpringRabbitCorrelation springRabbitCorrelation) {
    this.springRabbitCorrelation = springRabbitCorrelation;
  }

  @RabbitListener(queues = "orders", containerFactory = "batchFactory")
  void onOrders(List<Message> messages) {                     // org.springframework.amqp.core.Message
    springRabbitCorrelation.forEach(messages, this::handle);  // SpringRabbitCorrelation bean
  }

  void builtByHand(RabbitTemplate template, SimpleMessageListenerContainer container,
      Message received, Message message, Executor relay) {
    SpringRabbitCorrelation rabbit = SpringRabbitCorrelation.builder()   // or create(), fromMap(...)
        .errorHook((failed, e) -> log.error("order failed", e))          // logged in the message's flow
        .build();
    template.addBeforePublishPostProcessors(rabbit.messagePostProcessor());
    container.setMessageListener(rabbit.wrap(delivered -> handle(delivered)));   // or rabbit.listenerAdvice()

    // a send for a flow that is not current on this thread (a callback, a relay thread)
    CorrelationContext flow = rabbit.context(received);
    relay.execute(() -> template.send("", "shipments", rabbit.inject(message, flow)));
  }

  private void handle(Message message) {}
}
