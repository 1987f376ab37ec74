package dev.correlation.bench;

import dev.correlation.IdValidator;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.MDC;

/**
 * The floor: the least code any library must run to carry one correlation ID (and the causation
 * link) with the same guarantees as ours, written by hand for one broker at a time. Its flow lives
 * in one thread local; receive checks the ID with the default validator and the length limit,
 * replaces a bad one with a fresh random UUID, writes the same three MDC keys, and restores the
 * previous values afterwards (restore, not clear; remove where there was none). No WARN, no
 * configuration, no aliases, no duplicate-header check, no wrong-thread close, no executor capture:
 * what a library must add on top of this is what we are measured against.
 */
final class Floor {
  static final String HEADER = "X-Correlation-ID";
  static final String CAUSATION = "X-Causation-ID";
  static final String MDC_ID = "correlation_id";
  static final String MDC_MESSAGE = "message_id";
  static final String MDC_CAUSATION = "causation_id";
  private static final IdValidator VALID = IdValidator.safeToken();
  private static final ThreadLocal<Flow> CURRENT = new ThreadLocal<>();

  private Floor() {}

  /** The current flow: ID, message being handled, and the UTF-8 forms for sends. */
  static final class Flow {
    final String id;
    final String messageId;
    private byte[] idUtf8;
    private byte[] messageIdUtf8;

    Flow(String id, String messageId) {
      this.id = id;
      this.messageId = messageId;
    }

    byte[] idUtf8() {
      byte[] b = idUtf8;
      return b != null ? b : (idUtf8 = id.getBytes(StandardCharsets.UTF_8));
    }

    byte[] messageIdUtf8() {
      byte[] b = messageIdUtf8;
      return b != null ? b : (messageIdUtf8 = messageId.getBytes(StandardCharsets.UTF_8));
    }
  }

  static Flow current() {
    return CURRENT.get();
  }

  /** A checked correlation ID from raw header bytes, or a fresh one. */
  static String id(byte[] raw) {
    if (raw != null && raw.length > 0 && raw.length <= 128) {
      String id = new String(raw, StandardCharsets.UTF_8);
      if (VALID.isValid(id)) {
        return id;
      }
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** A checked correlation ID from a String header value (AMQP, SQS), or a fresh one. */
  static String id(String raw) {
    if (raw != null && !raw.isEmpty() && raw.length() <= 128 && VALID.isValid(raw)) {
      return raw;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** A causation ID from raw bytes if visible ASCII up to 255, else null. */
  static String causation(byte[] raw) {
    if (raw == null || raw.length == 0 || raw.length > 255) {
      return null;
    }
    for (byte b : raw) {
      if (b <= 0x20 || b >= 0x7F) {
        return null;
      }
    }
    return new String(raw, StandardCharsets.ISO_8859_1);
  }

  /** A causation ID from a String value if visible ASCII up to 255, else null. */
  static String causation(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > 255) {
      return null;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return null;
      }
    }
    return raw;
  }

  /**
   * Runs {@code handler} with the flow current and in the MDC, then restores the thread's previous
   * flow and MDC values.
   */
  static <M> void run(String id, String messageId, String causation, M message,
      Consumer<? super M> handler) {
    Flow previous = CURRENT.get();
    String previousId = MDC.get(MDC_ID);
    String previousMessage = MDC.get(MDC_MESSAGE);
    String previousCausation = MDC.get(MDC_CAUSATION);
    CURRENT.set(new Flow(id, messageId));
    MDC.put(MDC_ID, id);
    MDC.put(MDC_MESSAGE, messageId);
    set(MDC_CAUSATION, causation);
    try {
      handler.accept(message);
    } finally {
      set(MDC_ID, previousId);
      set(MDC_MESSAGE, previousMessage);
      set(MDC_CAUSATION, previousCausation);
      CURRENT.set(previous);
    }
  }

  /** Opens a flow for the send benchmarks; returns what closes it. */
  static AutoCloseable open(String id, String messageId) {
    Flow previous = CURRENT.get();
    CURRENT.set(new Flow(id, messageId));
    return () -> CURRENT.set(previous);
  }

  /** Makes {@code flow} current; returns the previous one, to be put back with this method. */
  static Flow swap(Flow flow) {
    Flow previous = CURRENT.get();
    CURRENT.set(flow);
    return previous;
  }

  /** Writes {@code value} under {@code key}, removing the key for null. */
  static void set(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
