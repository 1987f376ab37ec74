package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.IdGenerator;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The library's own post-processor. Writes the flow into the header table through core's send
 * rules (inside a flow the flow wins; outside, a valid caller header is kept; causation replaces
 * any copy), or an explicit flow ({@link RabbitCorrelation#inject}), then fills the
 * {@code correlation_id} property where the caller left it empty and {@code message_id} where it
 * is empty or is the ID of the very message being handled (re-published properties must not make
 * a message its own cause). All other headers and properties are kept.
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
    return process(properties, null);
  }

  /**
   * @param explicitFlow the flow to write whatever this thread's is, or null for the send rules
   *     with this thread's flow
   */
  AMQP.BasicProperties process(AMQP.BasicProperties properties,
      @Nullable CorrelationContext explicitFlow) {
    CorrelationConfig config = propagator.config();
    OutgoingHeaders carrier = new OutgoingHeaders(properties.getHeaders(), config.headerName());
    CorrelationContext flow;
    if (explicitFlow != null) {
      flow = explicitFlow;
      propagator.injectFlow(carrier, OutgoingHeaders.GETTER, OutgoingHeaders.EXPLICIT, flow);
    } else {
      flow = Correlation.currentContext();
      propagator.inject(carrier, OutgoingHeaders.GETTER, OutgoingHeaders.SETTER, flow);
    }
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
    String messageId = properties.getMessageId();
    if (isEmpty(messageId) || flow != null && messageId.equals(flow.messageId())) {
      builder.messageId(newMessageId());
    }
    return builder.build();
  }

  /**
   * A message ID from the configured generator (through core's guarded path: a generator that
   * throws gives a random UUID and a WARN), or a random UUID if it makes something the receive side
   * would drop (message IDs are visible ASCII) or the client would refuse to send.
   */
  private String newMessageId() {
    String id = propagator.newId();
    if (id.length() > SHORT_STRING_MAX) {
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
