package dev.correlation.spring.amqp;

import com.rabbitmq.client.AMQP;
import dev.correlation.CorrelationConfig;
import dev.correlation.rabbitmq.RabbitCorrelation;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.core.MessageProperties;

/**
 * Runs the rabbitmq module's publish post-processor on a Spring message: the client's view of the
 * properties goes through it, and what it wrote (our two headers, an empty {@code correlation_id}
 * or {@code message_id} it filled) is copied back. Everything else is left as the caller set it.
 */
final class CorrelationMessagePostProcessor implements MessagePostProcessor {
  private final RabbitCorrelation rabbit;
  private final CorrelationConfig config;

  CorrelationMessagePostProcessor(RabbitCorrelation rabbit, CorrelationConfig config) {
    this.rabbit = rabbit;
    this.config = config;
  }

  @Override
  public Message postProcessMessage(Message message) {
    MessageProperties properties = message.getMessageProperties();
    AMQP.BasicProperties written =
        rabbit.postProcessor().process(MessageCarrier.toClient(properties));
    Map<String, Object> headers = written.getHeaders();
    if (headers != null) {
      copy(headers, properties, config.headerName());
      copy(headers, properties, config.causationHeaderName());
    }
    if (isEmpty(properties.getCorrelationId()) && written.getCorrelationId() != null) {
      properties.setCorrelationId(written.getCorrelationId());
    }
    if (isEmpty(properties.getMessageId()) && written.getMessageId() != null) {
      properties.setMessageId(written.getMessageId());
    }
    return message;
  }

  private static void copy(Map<String, Object> from, MessageProperties to, String name) {
    Object value = MessageCarrier.toSpring(from.get(name));
    if (value != null) {
      to.setHeader(name, value);
    }
  }

  private static boolean isEmpty(@Nullable String value) {
    return value == null || value.isEmpty();
  }

  @Override
  public String toString() {
    return "CorrelationMessagePostProcessor";
  }
}
