package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.correlation.CorrelationPropagator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads headers of a received message for the propagator. AMQP header values of type long string
 * arrive as {@link LongString} and are handed on as their bytes; {@code String} and {@code byte[]}
 * pass as they are; anything else (a number, a table) passes raw, so that core reports it as a
 * value of the wrong type.
 *
 * <p>The correlation header falls back to the {@code correlation_id} property only when the header
 * is absent from the table: a header that is there but bad must be reported and replaced, not
 * silently traded for the property.
 */
final class IncomingProperties implements CorrelationPropagator.Getter<AMQP.BasicProperties> {
  private final CorrelationPropagator propagator;

  IncomingProperties(CorrelationPropagator propagator) {
    this.propagator = propagator;
  }

  @Override
  public @Nullable Object get(AMQP.BasicProperties properties, String name) {
    Map<String, Object> headers = properties.getHeaders();
    if (headers != null) {
      Object value = headers.get(name);
      if (value != null) {
        return value instanceof LongString ? ((LongString) value).getBytes() : value;
      }
      if (headers.containsKey(name)) {
        return null; // a void value: there, but empty-handed; no fallback
      }
    }
    if (name.equals(propagator.config().headerName())) {
      return properties.getCorrelationId();
    }
    return null;
  }
}
