package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import dev.correlation.CorrelationPropagator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads headers of a received message for the propagator. AMQP header values of type long string
 * arrive as {@link LongString} and are handed on as their bytes; {@code String} and {@code byte[]}
 * pass as they are; a void value (pika's {@code None}) is absent. An AMQP array (a {@link List}) is
 * a value of the wrong type, never "the header present several times": AMQP tables have one value
 * per name, so it is handed over wrapped, and core reports it. Anything else (a number, a table)
 * passes raw, so that core reports it as a value of the wrong type too.
 *
 * <p>With {@link RabbitCorrelation.Builder#correlationIdFallback(boolean)} on, the correlation
 * header falls back to the {@code correlation_id} property when the header is absent (or void): a
 * header that is there but bad must be reported and replaced, not silently traded for the property.
 */
final class IncomingProperties implements CorrelationPropagator.Getter<AMQP.BasicProperties> {
  private final CorrelationPropagator propagator;
  private final boolean correlationIdFallback;

  IncomingProperties(CorrelationPropagator propagator, boolean correlationIdFallback) {
    this.propagator = propagator;
    this.correlationIdFallback = correlationIdFallback;
  }

  @Override
  public @Nullable Object get(AMQP.BasicProperties properties, String name) {
    Map<String, Object> headers = properties.getHeaders();
    if (headers != null) {
      Object value = raw(headers.get(name));
      if (value != null) {
        return value;
      }
    }
    if (correlationIdFallback && name.equals(propagator.config().headerName())) {
      return properties.getCorrelationId();
    }
    return null;
  }

  /** A header table's value as core reads it: bytes of a long string, arrays wrapped. */
  static @Nullable Object raw(@Nullable Object value) {
    if (value instanceof LongString) {
      return ((LongString) value).getBytes();
    }
    if (value instanceof List) {
      return new AmqpArray((List<?>) value);
    }
    return value;
  }

  @Override
  public Iterable<String> keys(AMQP.BasicProperties properties) {
    Map<String, Object> headers = properties.getHeaders();
    return headers == null ? Set.of() : headers.keySet();
  }

  /** An AMQP array where one value was expected; shown in the WARN by its first elements. */
  static final class AmqpArray {
    private final List<?> values;

    AmqpArray(List<?> values) {
      this.values = values;
    }

    @Override
    public String toString() {
      return "AMQP array of " + values.size();
    }
  }
}
