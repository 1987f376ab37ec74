package dev.correlation.spring.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Between Spring's {@link MessageProperties} and the client's {@link AMQP.BasicProperties}, with
 * the converter Spring AMQP itself uses on the wire, so the rabbitmq module's rules apply to
 * Spring's messages unchanged.
 */
final class MessageCarrier {
  private static final MessagePropertiesConverter CONVERTER =
      new DefaultMessagePropertiesConverter();

  private MessageCarrier() {}

  static AMQP.BasicProperties toClient(MessageProperties properties) {
    return CONVERTER.fromMessageProperties(properties, StandardCharsets.UTF_8.name());
  }

  /** A header value as Spring AMQP holds text: a {@code String}. */
  static @Nullable Object toSpring(@Nullable Object value) {
    if (value instanceof LongString) {
      return value.toString();
    }
    if (value instanceof byte[]) {
      return new String((byte[]) value, StandardCharsets.UTF_8);
    }
    return value;
  }
}
