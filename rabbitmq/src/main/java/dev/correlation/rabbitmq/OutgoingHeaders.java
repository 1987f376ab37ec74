package dev.correlation.rabbitmq;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.CorrelationPropagator;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The send-side carrier: the caller's header table (read-only, as {@code BasicProperties} hands it
 * out) with our headers laid over it, plus the correlation ID written, so that the
 * {@code correlation_id} property can mirror it.
 *
 * <p>It is a read-only map view rather than a copy because {@code BasicProperties} copies the
 * table it is built with anyway: copying it here too would double the work on every publish.
 */
final class OutgoingHeaders extends AbstractMap<String, Object> {
  /** Long strings (the caller's, or ours) are read as their bytes, as core's getters expect. */
  static final CorrelationPropagator.Getter<OutgoingHeaders> GETTER = (carrier, name) -> {
    Object value = carrier.get(name);
    return value instanceof LongString ? ((LongString) value).getBytes() : value;
  };

  static final CorrelationPropagator.Setter<OutgoingHeaders> SETTER =
      new CorrelationPropagator.Setter<>() {
        @Override
        public boolean set(OutgoingHeaders carrier, String name, String value) {
          carrier.put(name, value, value);
          return true;
        }

        @Override
        public boolean set(OutgoingHeaders carrier, String name, String value, byte[] utf8) {
          // A long string over the shared UTF-8 bytes: the client writes them as they are, where
          // a String would be encoded again for every message.
          carrier.put(name, LongStringHelper.asLongString(utf8), value);
          return true;
        }
      };

  private final Map<String, Object> base;
  private final String correlationHeader;
  // Ours, at most the correlation and the causation header; they replace the caller's copies.
  private String[] names = new String[2];
  private Object[] values = new Object[2];
  private int added;
  private @Nullable String writtenId;
  private @Nullable EntrySet entrySet;

  OutgoingHeaders(@Nullable Map<String, Object> callerHeaders, String correlationHeader) {
    this.base = callerHeaders == null ? Collections.emptyMap() : callerHeaders;
    this.correlationHeader = correlationHeader;
  }

  private void put(String name, Object value, String text) {
    int i = indexOf(name);
    if (i < 0) {
      if (added == names.length) {
        names = Arrays.copyOf(names, added * 2);
        values = Arrays.copyOf(values, added * 2);
      }
      i = added++;
      names[i] = name;
    }
    values[i] = value;
    if (name.equals(correlationHeader)) {
      writtenId = text;
    }
  }

  private int indexOf(@Nullable Object name) {
    for (int i = 0; i < added; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The correlation ID the propagator wrote, or null if it kept the caller's header (or none). */
  @Nullable String writtenId() {
    return writtenId;
  }

  @Override
  public @Nullable Object get(@Nullable Object name) {
    int i = indexOf(name);
    return i >= 0 ? values[i] : base.get(name);
  }

  @Override
  public boolean containsKey(@Nullable Object name) {
    return indexOf(name) >= 0 || base.containsKey(name);
  }

  @Override
  public int size() {
    int size = base.size();
    for (int i = 0; i < added; i++) {
      if (!base.containsKey(names[i])) {
        size++;
      }
    }
    return size;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    EntrySet set = entrySet;
    if (set == null) {
      set = new EntrySet();
      entrySet = set;
    }
    return set;
  }

  private final class EntrySet extends AbstractSet<Map.Entry<String, Object>> {
    @Override
    public int size() {
      return OutgoingHeaders.this.size();
    }

    @Override
    public Iterator<Map.Entry<String, Object>> iterator() {
      return new Iterator<>() {
        private final Iterator<Map.Entry<String, Object>> caller = base.entrySet().iterator();
        private Map.@Nullable Entry<String, Object> next = advance();
        private int ours;

        private Map.@Nullable Entry<String, Object> advance() {
          while (caller.hasNext()) {
            Map.Entry<String, Object> entry = caller.next();
            if (indexOf(entry.getKey()) < 0) {
              return entry; // not replaced by ours
            }
          }
          if (ours < added) {
            int i = ours++;
            return new SimpleImmutableEntry<>(names[i], values[i]);
          }
          return null;
        }

        @Override
        public boolean hasNext() {
          return next != null;
        }

        @Override
        public Map.Entry<String, Object> next() {
          Map.Entry<String, Object> current = next;
          if (current == null) {
            throw new NoSuchElementException();
          }
          next = advance();
          return current;
        }
      };
    }
  }

  @Override
  public String toString() {
    return "AMQP headers " + keySet();
  }
}
