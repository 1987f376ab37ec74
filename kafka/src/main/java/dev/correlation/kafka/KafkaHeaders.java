package dev.correlation.kafka;

import dev.correlation.CorrelationPropagator.Getter;
import dev.correlation.CorrelationPropagator.Setter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Kafka record headers as a carrier for the core propagator. Header values are bytes; decoding and
 * validation are core's job, so these only move raw values. Header names match exactly, as in
 * {@link Headers#lastHeader(String)}.
 */
final class KafkaHeaders {
  /** What a header with a null value reads as: present, and empty, so core reports it as such. */
  private static final byte[] NO_VALUE = new byte[0];

  /**
   * The raw value of a header: null when absent, the {@code byte[]} itself when present once, a
   * {@code List<byte[]>} in record order when present several times (core accepts identical copies
   * and rejects differing ones). One pass over the headers; a list only when a second copy shows up.
   */
  static final Getter<Headers> GETTER = new Getter<>() {
    @Override
    public @Nullable Object get(Headers headers, String name) {
      if (headers.lastHeader(name) == null) {
        return null; // the common miss: an indexed scan, nothing allocated
      }
      byte[] first = null;
      List<byte[]> all = null;
      for (Header header : headers) {
        if (!name.equals(header.key())) {
          continue;
        }
        byte[] value = valueOf(header);
        if (first == null) {
          first = value;
        } else {
          if (all == null) {
            all = new ArrayList<>(4);
            all.add(first);
          }
          all.add(value);
        }
      }
      return all != null ? all : first;
    }

    @Override
    public boolean contains(Headers headers, String name) {
      return headers.lastHeader(name) != null; // indexed scan: no iterator, unlike the loop above
    }

    @Override
    public Iterable<String> keys(Headers headers) {
      return () -> new Iterator<>() {
        private final Iterator<Header> all = headers.iterator();

        @Override
        public boolean hasNext() {
          return all.hasNext();
        }

        @Override
        public String next() {
          return all.next().key();
        }
      };
    }

    @Override
    public boolean isExplicit(Headers headers, String name) {
      return headers.lastHeader(name) instanceof FlowHeader;
    }

    @Override
    public String toString() {
      return "KafkaHeaders.GETTER";
    }
  };

  /**
   * Replaces every copy of a header with one value. Throws {@link IllegalStateException} when the
   * headers are read-only (a record that was already sent); the interceptor deals with that.
   */
  static final Setter<Headers> SETTER = new Setter<>() {
    @Override
    public boolean set(Headers headers, String name, String value) {
      return set(headers, name, value, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean set(Headers headers, String name, String value, byte[] utf8) {
      // The array is the context's cached encoding, shared by every record of the flow; Kafka only
      // reads header values when it serializes the record.
      Header existing = headers.lastHeader(name);
      if (existing != null) {
        if (!(existing instanceof FlowHeader) && Arrays.equals(existing.value(), utf8)
            && onlyOne(headers, name)) {
          return true; // already right (a record sent again): read-only headers need no copy
        }
        headers.remove(name); // remove() allocates an iterator: only when there is a copy
      }
      headers.add(name, utf8);
      return true;
    }

    @Override
    public String toString() {
      return "KafkaHeaders.SETTER";
    }
  };

  /**
   * Like {@link #SETTER}, but marks what it writes as written for an explicit flow
   * ({@link KafkaCorrelation#inject}), so that the interceptor leaves the record alone.
   */
  static final Setter<Headers> EXPLICIT = new Setter<>() {
    @Override
    public boolean set(Headers headers, String name, String value) {
      return set(headers, name, value, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean set(Headers headers, String name, String value, byte[] utf8) {
      if (headers.lastHeader(name) != null) {
        headers.remove(name);
      }
      headers.add(new FlowHeader(name, utf8));
      return true;
    }

    @Override
    public String toString() {
      return "KafkaHeaders.EXPLICIT";
    }
  };

  private KafkaHeaders() {}

  private static byte[] valueOf(Header header) {
    byte[] value = header.value();
    return value != null ? value : NO_VALUE;
  }

  private static boolean onlyOne(Headers headers, String name) {
    int copies = 0;
    for (Header header : headers) {
      if (name.equals(header.key()) && ++copies > 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * A header written for an explicit flow. On the wire it is a header like any other (Kafka
   * serializes key and value); in this process its type tells the interceptor to leave it alone.
   * A record read back from Kafka carries plain headers again.
   */
  static final class FlowHeader implements Header {
    private final String key;
    private final byte[] value;

    FlowHeader(String key, byte[] value) {
      this.key = key;
      this.value = value;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public byte[] value() {
      return value;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Header && key.equals(((Header) o).key())
          && Arrays.equals(value, ((Header) o).value());
    }

    @Override
    public int hashCode() {
      return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "FlowHeader(key = " + key + ", value = " + new String(value, StandardCharsets.UTF_8)
          + ")";
    }
  }
}
