package dev.correlation.spring.amqp;

import dev.correlation.CorrelationPropagator;
import dev.correlation.rabbitmq.RabbitCorrelation;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.core.MessageProperties;

/**
 * Runs the rabbitmq module's publish post-processor on a Spring message: the client's view of the
 * properties goes through it, and what it wrote (our two headers, an empty {@code correlation_id}
 * or {@code message_id} it filled) is copied back. Everything else is left as the caller set it;
 * so is a message written for an explicit flow ({@link SpringRabbitCorrelation#inject}), which the
 * module recognises by its headers' type.
 */
final class CorrelationMessagePostProcessor implements MessagePostProcessor {
  private final RabbitCorrelation rabbit;
  private final CorrelationPropagator propagator;

  CorrelationMessagePostProcessor(RabbitCorrelation rabbit, CorrelationPropagator propagator) {
    this.rabbit = rabbit;
    this.propagator = propagator;
  }

  @Override
  public Message postProcessMessage(Message message) {
    MessageProperties properties = message.getMessageProperties();
    MessageCarrier.copyBack(rabbit.postProcessor().process(MessageCarrier.toClient(properties)),
        properties, propagator.config(), false);
    return message;
  }

  @Override
  public String toString() {
    return "CorrelationMessagePostProcessor";
  }
}
