package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationPropagator;
import dev.correlation.IdGenerator;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The library's own post-processor. Writes the flow into the header table through core's send
 * rules (the caller's correlation header is kept; causation replaces any copy), then fills the
 * {@code correlation_id} and {@code message_id} properties where the caller left them empty. All
 * other headers and properties are kept.
 */
final class CorrelationPostProcessor implements PropertiesPostProcessor {
  /** AMQP short strings ({@code correlation_id}, {@code message_id}) hold at most 255 bytes. */
  private static final int SHORT_STRING_MAX = 255;

  private final CorrelationPropagator propagator;

  CorrelationPostProcessor(CorrelationPropagator propagator) {
    this.propagator = propagator;
  }

  @Override
  public AMQP.BasicProperties process(AMQP.BasicProperties properties) {
    CorrelationConfig config = propagator.config();
    OutgoingHeaders carrier = new OutgoingHeaders(properties.getHeaders(), config.headerName());
    propagator.inject(carrier, OutgoingHeaders.GETTER, OutgoingHeaders.SETTER);
    // BasicProperties copies the table; a publish that had none and got none keeps none
    AMQP.BasicProperties.Builder builder = properties.builder()
        .headers(properties.getHeaders() == null && carrier.isEmpty() ? null : carrier);
    if (isEmpty(properties.getCorrelationId())) {
      // Only when empty: RPC callers put their own reply-matching key here.
      String id = carrier.writtenId();
      if (id == null) {
        id = shortString(carrier.get(config.headerName()));
      }
      if (id != null) {
        builder.correlationId(id);
      }
    }
    if (isEmpty(properties.getMessageId())) {
      builder.messageId(newMessageId(config));
    }
    return builder.build();
  }

  /**
   * A message ID from the configured generator, or a random UUID if that one makes something the
   * receive side would drop (message IDs are visible ASCII) or the client would refuse to send.
   */
  private static String newMessageId(CorrelationConfig config) {
    String id = config.generator().newId();
    if (id == null || id.isEmpty() || id.length() > SHORT_STRING_MAX) {
      return IdGenerator.randomUuid().newId();
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return IdGenerator.randomUuid().newId();
      }
    }
    return id;
  }

  /**
   * The caller's own correlation header as a string for the property, or null if it is not text
   * or would not fit (the client would throw on publish).
   */
  private static @Nullable String shortString(@Nullable Object value) {
    String text;
    if (value instanceof String) {
      text = (String) value;
    } else if (value instanceof LongString) {
      text = value.toString();
    } else if (value instanceof byte[]) {
      text = new String((byte[]) value, StandardCharsets.UTF_8);
    } else {
      return null;
    }
    if (text.isEmpty() || text.getBytes(StandardCharsets.UTF_8).length > SHORT_STRING_MAX) {
      return null;
    }
    return text;
  }

  private static boolean isEmpty(@Nullable String value) {
    return value == null || value.isEmpty();
  }

  @Override
  public String toString() {
    return "CorrelationPostProcessor";
  }
}
