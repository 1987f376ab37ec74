package dev.correlation.rabbitmq;

import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.CorrelationPropagator;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The send-side carrier: a private, mutable copy of the caller's header table (which
 * {@code BasicProperties} hands out read-only), plus the correlation ID written into it, so that
 * the {@code correlation_id} property can mirror it.
 */
final class OutgoingHeaders {
  static final CorrelationPropagator.Getter<OutgoingHeaders> GETTER =
      (carrier, name) -> carrier.headers.get(name);

  static final CorrelationPropagator.Setter<OutgoingHeaders> SETTER =
      new CorrelationPropagator.Setter<>() {
        @Override
        public boolean set(OutgoingHeaders carrier, String name, String value) {
          carrier.headers.put(name, value);
          carrier.noteWritten(name, value);
          return true;
        }

        @Override
        public boolean set(OutgoingHeaders carrier, String name, String value, byte[] utf8) {
          // A long string over the shared UTF-8 bytes: the client writes them as they are, where
          // a String would be encoded again for every message. put() replaces any copy.
          carrier.headers.put(name, LongStringHelper.asLongString(utf8));
          carrier.noteWritten(name, value);
          return true;
        }
      };

  final HashMap<String, Object> headers;
  private final String correlationHeader;
  private @Nullable String writtenId;

  OutgoingHeaders(@Nullable Map<String, Object> callerHeaders, String correlationHeader) {
    if (callerHeaders == null) {
      headers = new HashMap<>(4);
    } else {
      // room for ours without a rehash
      headers = new HashMap<>((int) ((callerHeaders.size() + 2) / 0.75f) + 1);
      headers.putAll(callerHeaders);
    }
    this.correlationHeader = correlationHeader;
  }

  private void noteWritten(String name, String value) {
    if (name.equals(correlationHeader)) {
      writtenId = value;
    }
  }

  /** The correlation ID the propagator wrote, or null if it kept the caller's header (or none). */
  @Nullable String writtenId() {
    return writtenId;
  }

  @Override
  public String toString() {
    return "AMQP headers " + headers.keySet();
  }
}
