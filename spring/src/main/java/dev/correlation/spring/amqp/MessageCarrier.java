package dev.correlation.spring.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.correlation.CorrelationConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Between Spring's {@link MessageProperties} and the client's {@link AMQP.BasicProperties}, with
 * the converter Spring AMQP itself uses on the wire, so the rabbitmq module's rules apply to
 * Spring's messages unchanged. The converter hands header values of the AMQP types (long strings
 * included) over as they are, so a header the rabbitmq module marked for an explicit flow is still
 * marked when a {@code RabbitTemplate} publishes the message.
 */
final class MessageCarrier {
  private static final MessagePropertiesConverter CONVERTER =
      new DefaultMessagePropertiesConverter();

  private MessageCarrier() {}

  static AMQP.BasicProperties toClient(MessageProperties properties) {
    return CONVERTER.fromMessageProperties(properties, StandardCharsets.UTF_8.name());
  }

  /**
   * Copies what the rabbitmq module wrote into {@code written} back into Spring's properties: our
   * two headers, the W3C {@code baggage} header when the configuration writes it, and the
   * {@code correlation_id} and {@code message_id} it filled where they were empty. Everything
   * else is left as the caller set it, and so is a header that still holds the very value
   * Spring's properties hold (one the module left alone).
   *
   * @param explicit whether {@code written} holds an explicit flow: its header values are kept as
   *     the module wrote them, since their type is the mark; otherwise they become the
   *     {@code String}s Spring AMQP holds text as
   */
  static void copyBack(AMQP.BasicProperties written, MessageProperties to, CorrelationConfig config,
      boolean explicit) {
    Map<String, Object> headers = written.getHeaders();
    if (headers != null) {
      copy(headers, to, config.headerName(), explicit);
      copy(headers, to, config.causationHeaderName(), explicit);
      if (config.writesBaggage()) {
        copy(headers, to, CorrelationConfig.BAGGAGE_HEADER, explicit);
      }
    }
    if (isEmpty(to.getCorrelationId()) && written.getCorrelationId() != null) {
      to.setCorrelationId(written.getCorrelationId());
    }
    if (isEmpty(to.getMessageId()) && written.getMessageId() != null) {
      to.setMessageId(written.getMessageId());
    }
  }

  private static void copy(Map<String, Object> from, MessageProperties to, String name,
      boolean explicit) {
    Object value = from.get(name);
    if (value != null && value != to.getHeader(name)) {
      to.setHeader(name, explicit ? value : toSpring(value));
    }
  }

  /** A header value as Spring AMQP holds text: a {@code String}. */
  private static Object toSpring(Object value) {
    if (value instanceof LongString) {
      return value.toString();
    }
    if (value instanceof byte[]) {
      return new String((byte[]) value, StandardCharsets.UTF_8);
    }
    return value;
  }

  private static boolean isEmpty(@Nullable String value) {
    return value == null || value.isEmpty();
  }
}
