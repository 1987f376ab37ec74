package dev.correlation;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The wire rules, written once for every broker: what goes into an outgoing message and what is
 * made of an incoming one. Broker modules only supply a carrier (Kafka headers, AMQP properties,
 * SQS attributes) and a {@link Getter} / {@link Setter} pair for it.
 *
 * <p><b>Send</b> ({@link #inject}): a correlation header the caller already set is kept as it is;
 * otherwise the current context's ID is written; otherwise, at the edge of a flow, a new ID (unless
 * {@link CorrelationConfig#generateWhenMissing()} is off). While a message is being handled, the
 * causation header is set to that message's ID, replacing any copy. With
 * {@link CorrelationConfig#writesBaggage()}, the ID on the message is also added to the W3C
 * {@code baggage} header as one member, after our headers.
 *
 * <p><b>Receive</b> ({@link #extract}): the correlation header is decoded and validated; a value
 * that is missing, empty, too long, not UTF-8, of the wrong type, or rejected is replaced by a new
 * ID with a rate-limited WARN. When the header is absent, a valid W3C {@code baggage} member
 * ({@link CorrelationConfig#readsBaggage()}), then the trace-id of a valid {@code traceparent}
 * ({@link CorrelationConfig#readsTraceparent()}) give the ID; bad ones are ignored with a WARN.
 * The causation header is checked the same way and dropped when bad.
 * Header content never makes these methods throw.
 *
 * <p>Thread safe. A propagator made by {@link #create()} follows {@link Correlation#config()} as it
 * changes; one made by {@link #create(CorrelationConfig)} keeps its own configuration.
 */
public final class CorrelationPropagator {
  private final @Nullable CorrelationConfig config;

  private CorrelationPropagator(@Nullable CorrelationConfig config) {
    this.config = config;
  }

  /** A propagator that uses the process-wide configuration, {@link Correlation#config()}. */
  public static CorrelationPropagator create() {
    return new CorrelationPropagator(null);
  }

  /** A propagator with its own configuration. */
  public static CorrelationPropagator create(CorrelationConfig config) {
    return new CorrelationPropagator(Objects.requireNonNull(config, "config == null"));
  }

  /** The configuration in effect now. */
  public CorrelationConfig config() {
    CorrelationConfig own = config;
    return own != null ? own : Correlation.config();
  }

  /**
   * Writes the current flow into an outgoing message, following the send rules above. The
   * correlation header is written before the causation header, so a carrier with room for only one
   * keeps the one that matters.
   *
   * @return false when the setter had no room for a header (reported by a rate-limited WARN naming
   *     {@code carrier}), true otherwise
   * @throws RuntimeException only what the setter throws (a read-only carrier, say); the broker
   *     module that supplies the setter deals with it
   */
  public <C> boolean inject(C carrier, Getter<C> getter, Setter<C> setter) {
    return inject(carrier, getter, setter, Frame.current());
  }

  /**
   * Like {@link #inject(Object, Getter, Setter)}, for the flow {@code current} instead of this
   * thread's: for clients that capture the caller's context on the caller's thread and write the
   * message later on another one (the AWS SDK's asynchronous clients).
   *
   * @param current the flow the message belongs to, or null when it was sent outside any flow
   *     (then the edge rule applies: a new ID, unless generation is off)
   */
  public <C> boolean inject(C carrier, Getter<C> getter, Setter<C> setter,
      @Nullable CorrelationContext current) {
    CorrelationConfig cfg = config();
    boolean complete = true;
    if (!present(getter, carrier, cfg.headerName())) {
      if (current != null) {
        complete = write(setter, carrier, cfg, cfg.headerName(), current.correlationId(),
            current.correlationIdUtf8());
      } else if (cfg.generateWhenMissing()) {
        String id = newId(cfg);
        complete = write(setter, carrier, cfg, cfg.headerName(), id,
            id.getBytes(StandardCharsets.UTF_8));
      }
    }
    String messageId = current == null ? null : current.messageId();
    if (messageId != null) {
      byte[] utf8 = Objects.requireNonNull(current.messageIdUtf8());
      complete &= write(setter, carrier, cfg, cfg.causationHeaderName(), messageId, utf8);
    }
    // W3C baggage (off by default): after ours, so a carrier short of room drops it first
    complete &= TraceHeaders.inject(cfg, carrier, getter, setter);
    return complete;
  }

  private static <C> boolean write(Setter<C> setter, C carrier, CorrelationConfig cfg,
      String header, String value, byte[] utf8) {
    if (setter.set(carrier, header, value, utf8)) {
      return true;
    }
    cfg.badInputLog().report(Problem.NO_ROOM, "Skipped header ", header, value,
        "not written to " + carrier);
    return false;
  }

  /**
   * Reads the flow of an incoming message, following the receive rules above.
   *
   * @param messageId the broker's ID of this message (SQS MessageId, AMQP message-id, Kafka
   *     topic-partition@offset), or null if it has none; dropped with a WARN if not visible ASCII
   * @return the context to open while the message is handled; never null
   */
  public <C> CorrelationContext extract(C carrier, Getter<C> getter, @Nullable String messageId) {
    CorrelationConfig cfg = config();
    BadInputLog log = cfg.badInputLog();
    String header = cfg.headerName();
    String id = null;
    if (cfg.trustIncoming()) {
      Object raw = get(getter, carrier, header);
      Object read = IdReader.read(raw, cfg.maxLength(), cfg.validator());
      if (read == Problem.MISSING) {
        // W3C baggage, then traceparent (off by default)
        read = TraceHeaders.extract(cfg, carrier, getter, read);
      }
      if (read instanceof String) {
        id = transform(cfg, (String) read);
        if (id == null) {
          read = Problem.REJECTED;
        }
      }
      if (id == null) {
        id = newId(cfg);
        log.report((Problem) read, "Bad correlation ID in header ", header, raw,
            "using fresh ID " + id);
      }
    } else {
      id = newId(cfg);
    }
    String causation = null;
    Object rawCause = get(getter, carrier, cfg.causationHeaderName());
    if (rawCause != null) {
      causation = messageIdOf(rawCause, log, "Bad causation ID in header ",
          cfg.causationHeaderName());
    }
    String ownId = messageId == null ? null : messageIdOf(messageId, log, "Bad broker message ID", "");
    return CorrelationContext.of(id, ownId, causation);
  }

  /**
   * Reports, with the same rate-limited WARN as bad headers (one a minute), that the flow could
   * not be written to a message because its client refused the write; for broker modules, which
   * then send the message as it was rather than fail the send.
   *
   * @param message what was being sent, e.g. "a record for topic orders"
   */
  public void reportUnwritable(String message, RuntimeException failure) {
    config().badInputLog().report(Problem.UNWRITABLE, "Could not write correlation headers to ",
        message, null, "sent without them", failure);
  }

  /**
   * A new ID from the configured generator; if that throws or returns nothing, a random UUID and
   * a rate-limited WARN: a broken generator must not break a send or a receive.
   */
  private static String newId(CorrelationConfig cfg) {
    String id;
    RuntimeException failure = null;
    try {
      id = cfg.generator().newId();
    } catch (RuntimeException e) {
      id = null;
      failure = e;
    }
    if (id == null || id.isEmpty()) {
      id = IdGenerator.randomUuid().newId();
      cfg.badInputLog().report(Problem.GENERATOR_FAILED, "Bad ID from generator ",
          cfg.generator().getClass().getName(), null, "using random UUID " + id, failure);
    }
    return id;
  }

  /** Opens {@code context} on this thread, writing the MDC as this propagator's config says. */
  public Scope open(CorrelationContext context) {
    return Frame.open(Objects.requireNonNull(context, "context == null"), config().mdcKeys());
  }

  private static @Nullable String messageIdOf(Object raw, BadInputLog log, String what,
      String header) {
    Object read = IdReader.read(raw, IdReader.MESSAGE_ID_MAX, IdReader.MESSAGE_ID);
    if (read instanceof String) {
      return (String) read;
    }
    log.report((Problem) read, what, header, raw, "ignored");
    return null;
  }

  private static @Nullable String transform(CorrelationConfig cfg, String id) {
    if (!cfg.transforms()) {
      return id;
    }
    try {
      String out = cfg.transformer().apply(id);
      return out == null || out.isEmpty() ? null : out;
    } catch (RuntimeException e) {
      return null; // a broken transformer counts as a rejection, never as an exception
    }
  }

  private static <C> boolean present(Getter<C> getter, C carrier, String name) {
    try {
      return getter.contains(carrier, name);
    } catch (RuntimeException e) {
      return false; // unreadable counts as absent: write ours
    }
  }

  private static <C> @Nullable Object get(Getter<C> getter, C carrier, String name) {
    try {
      return getter.get(carrier, name);
    } catch (RuntimeException e) {
      return e; // unreadable: reported as a value of the wrong type
    }
  }

  /**
   * Reads a header from a carrier.
   *
   * @param <C> the carrier type
   */
  @FunctionalInterface
  public interface Getter<C> {
    /**
     * The raw value of header {@code name}: null when absent; a {@code String}, a {@code byte[]}
     * of UTF-8 or another {@code CharSequence}; a {@code java.util.List} of those when the header
     * is present more than once. Anything else counts as a value of the wrong type.
     */
    @Nullable Object get(C carrier, String name);

    /**
     * Whether header {@code name} is present, whatever its value. Used on send, per message:
     * carriers with a cheaper lookup than {@link #get} override it.
     */
    default boolean contains(C carrier, String name) {
      return get(carrier, name) != null;
    }
  }

  /**
   * Writes a header into a carrier, replacing any copy already there.
   *
   * @param <C> the carrier type
   */
  @FunctionalInterface
  public interface Setter<C> {
    /**
     * Writes {@code value} under {@code name}.
     *
     * @return false when the carrier has no room for it (an SQS message at its attribute limit)
     */
    boolean set(C carrier, String name, String value);

    /**
     * Writes {@code value}, whose UTF-8 form is {@code utf8}. Carriers of bytes override this to
     * skip encoding; the array is shared and must not be modified.
     */
    default boolean set(C carrier, String name, String value, byte[] utf8) {
      return set(carrier, name, value);
    }
  }
}
