package dev.correlation;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire rules, written once for every broker: what goes into an outgoing message and what is
 * made of an incoming one. Broker modules only supply a carrier (Kafka headers, AMQP properties,
 * SQS attributes) and a {@link Getter} / {@link Setter} pair for it.
 *
 * <p><b>Send</b> ({@link #inject(Object, Getter, Setter)}): inside an open scope the current flow
 * wins: its ID replaces any correlation header already on the message (a forwarded copy of the
 * incoming headers must neither split the flow nor carry an untrusted value on). Outside any scope
 * a correlation header the caller set is kept if it passes the validator, and replaced by a new ID
 * with a rate-limited WARN if not; with no header at all (the edge of a flow) a new ID is written,
 * unless {@link CorrelationConfig#generateWhenMissing()} is off. While a message is being handled,
 * the causation header is set to that message's ID, replacing any copy. A header written by
 * {@link #injectFlow} for a given flow is left alone by these rules (see
 * {@link Getter#isExplicit}).
 *
 * <p><b>Receive</b> ({@link #extract}): the correlation header (else its configured aliases, in
 * order; names matched exactly unless {@link CorrelationConfig#headerIgnoreCase()}) is decoded and
 * validated; a value that is missing, empty, too long, not UTF-8, of the wrong type, or rejected is
 * replaced by a new ID with a rate-limited WARN. The causation header is checked the same way and
 * dropped when bad. Header content never makes these methods throw.
 *
 * <p>W3C headers (off by default): with {@link CorrelationConfig#writesBaggage()}, the ID on the
 * message is also added to the {@code baggage} header as one member, after our headers; on
 * receive, when neither the header nor an alias is there, a valid {@code baggage} member
 * ({@link CorrelationConfig#readsBaggage()}), then the trace-id of a valid {@code traceparent}
 * ({@link CorrelationConfig#readsTraceparent()}) give the ID; bad ones are ignored with a WARN.
 *
 * <p>Sends that start a new flow because they happen outside any scope are logged at DEBUG, one
 * line per send, by the logger {@value #NEW_FLOW_LOGGER}.
 *
 * <p>Thread safe. A propagator made by {@link #create()} follows {@link Correlation#config()} as it
 * changes; one made by {@link #create(CorrelationConfig)} keeps its own configuration.
 */
public final class CorrelationPropagator {
  /** Name of the logger of sends that start a new flow outside any scope (DEBUG). */
  public static final String NEW_FLOW_LOGGER = "dev.correlation.NewFlow";
  private static final Logger NEW_FLOWS = LoggerFactory.getLogger(NEW_FLOW_LOGGER);

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
   * Writes this thread's flow into an outgoing message, following the send rules above. The
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
   * @param current the flow of the thread that sent the message, or null when it was sent outside
   *     any flow (then the rules for that case apply)
   */
  public <C> boolean inject(C carrier, Getter<C> getter, Setter<C> setter,
      @Nullable CorrelationContext current) {
    CorrelationConfig cfg = config();
    String header = cfg.headerName();
    if (isExplicit(getter, carrier, header)) {
      return true; // written for a given flow by code that knows better than this thread
    }
    boolean complete = current != null ? writeFlow(carrier, setter, cfg, current)
        : writeOutsideAnyFlow(carrier, getter, setter, cfg, header);
    // W3C baggage (off by default): after ours, so a carrier short of room drops it first
    return complete & TraceHeaders.inject(cfg, carrier, getter, setter);
  }

  private static <C> boolean writeOutsideAnyFlow(C carrier, Getter<C> getter, Setter<C> setter,
      CorrelationConfig cfg, String header) {
    if (present(getter, carrier, header)) {
      Object raw = get(getter, carrier, header);
      Object read = IdReader.read(raw, cfg.maxLength(), cfg.validator());
      if (read instanceof String) {
        return true; // the caller's own, valid: kept
      }
      String id = newId(cfg);
      cfg.badInputLog().report((Problem) read, "Bad correlation ID in outgoing header ", header,
          raw, "replaced by fresh ID " + id);
      return write(setter, carrier, cfg, header, id, id.getBytes(StandardCharsets.UTF_8));
    }
    if (!cfg.generateWhenMissing()) {
      return true;
    }
    String id = newId(cfg);
    if (NEW_FLOWS.isDebugEnabled()) {
      NEW_FLOWS.debug("Message sent outside any flow starts new flow {}", id);
    }
    return write(setter, carrier, cfg, header, id, id.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes the flow {@code flow} into an outgoing message, whatever this thread's flow is and
   * whatever correlation header the message carries: for code that sends on behalf of a flow that
   * is not current here (callbacks, sender threads, relays). The correlation header is replaced;
   * the causation header is set to the flow's message ID when it has one. Broker modules pass a
   * setter that marks what it writes, so that the implicit rules ({@link #inject(Object, Getter,
   * Setter)}, the interceptors) leave it alone afterwards.
   *
   * @return false when the setter had no room for a header (with a rate-limited WARN)
   * @throws NullPointerException if {@code flow} is null
   */
  public <C> boolean injectFlow(C carrier, Getter<C> getter, Setter<C> setter,
      CorrelationContext flow) {
    Objects.requireNonNull(flow, "flow == null");
    CorrelationConfig cfg = config();
    return writeFlow(carrier, setter, cfg, flow)
        & TraceHeaders.inject(cfg, carrier, getter, setter);
  }

  private static <C> boolean writeFlow(C carrier, Setter<C> setter, CorrelationConfig cfg,
      CorrelationContext flow) {
    boolean complete = write(setter, carrier, cfg, cfg.headerName(), flow.correlationId(),
        flow.correlationIdUtf8());
    String messageId = flow.messageId();
    if (messageId != null) {
      byte[] utf8 = Objects.requireNonNull(flow.messageIdUtf8());
      complete &= write(setter, carrier, cfg, cfg.causationHeaderName(), messageId, utf8);
    }
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
    return extract(carrier, getter, messageId, true);
  }

  // The hot path (an ID, a cause, a message ID, all valid; no captured headers) is kept small, so
  // that the JIT inlines it into each module's receive; every rarer case is a call of its own.
  private <C> CorrelationContext extract(C carrier, Getter<C> getter, @Nullable String messageId,
      boolean warnMissing) {
    CorrelationConfig cfg = config();
    String id = cfg.trustIncoming() ? incomingId(carrier, getter, cfg, warnMissing) : newId(cfg);
    Object rawCause = get(getter, carrier, cfg.causationHeaderName());
    String causation = rawCause == null ? null : causationOf(rawCause, cfg);
    String ownId = messageId == null ? null : ownMessageId(messageId, cfg);
    List<String> captured = cfg.capturedHeaders();
    if (!captured.isEmpty()) {
      return CorrelationContext.read(id, ownId, causation, cfg, capture(getter, carrier, captured,
          cfg.badInputLog()));
    }
    return CorrelationContext.read(id, ownId, causation, cfg);
  }

  private static <C> String incomingId(C carrier, Getter<C> getter, CorrelationConfig cfg,
      boolean warnMissing) {
    Object raw = get(getter, carrier, cfg.headerName());
    String valid = cfg.transforms() ? null : IdReader.readValid(raw, cfg.maxLength(),
        cfg.validator());
    return valid != null ? valid : incomingIdOtherwise(raw, carrier, getter, cfg, warnMissing);
  }

  /** Everything but a valid ID under our own header name: aliases, case, W3C, transforms, WARNs. */
  private static <C> String incomingIdOtherwise(@Nullable Object ourRaw, C carrier,
      Getter<C> getter, CorrelationConfig cfg, boolean warnMissing) {
    String header = cfg.headerName();
    Object raw = ourRaw;
    if (raw == null && (cfg.headerIgnoreCase() || !cfg.headerAliases().isEmpty())) {
      String found = findOther(getter, carrier, cfg);
      if (found != null) {
        header = found;
        raw = get(getter, carrier, found);
      }
    }
    return readId(raw, cfg, cfg.badInputLog(), header, getter, carrier, warnMissing);
  }

  private static @Nullable String causationOf(Object raw, CorrelationConfig cfg) {
    String valid = IdReader.readValid(raw, IdReader.MESSAGE_ID_MAX, IdReader.MESSAGE_ID);
    return valid != null ? valid : messageIdOf(raw, cfg.badInputLog(),
        "Bad causation ID in header ", cfg.causationHeaderName());
  }

  private static @Nullable String ownMessageId(String messageId, CorrelationConfig cfg) {
    String valid = IdReader.readValid(messageId, IdReader.MESSAGE_ID_MAX, IdReader.MESSAGE_ID);
    return valid != null ? valid : messageIdOf(messageId, cfg.badInputLog(),
        "Bad broker message ID", "");
  }

  /** The captured headers present and visible ASCII; a bad one is dropped with a WARN. */
  private static <C> Map<String, String> capture(Getter<C> getter, C carrier,
      List<String> headers, BadInputLog log) {
    Map<String, String> fields = null;
    for (int i = 0; i < headers.size(); i++) {
      String header = headers.get(i);
      Object raw = get(getter, carrier, header);
      if (raw == null) {
        continue;
      }
      String value = messageIdOf(raw, log, "Bad captured header ", header);
      if (value != null) {
        if (fields == null) {
          fields = new LinkedHashMap<>();
        }
        fields.put(header, value);
      }
    }
    return fields == null ? Map.of() : Collections.unmodifiableMap(fields);
  }

  private static <C> String readId(@Nullable Object raw, CorrelationConfig cfg, BadInputLog log,
      String header, Getter<C> getter, C carrier, boolean warnMissing) {
    Object read = IdReader.read(raw, cfg.maxLength(), cfg.validator());
    if (read == Problem.MISSING) {
      read = TraceHeaders.extract(cfg, carrier, getter, read); // W3C baggage, then traceparent
    }
    if (read instanceof String) {
      String id = transform(cfg, (String) read);
      if (id != null) {
        return id;
      }
      read = Problem.REJECTED;
    }
    String id = newId(cfg);
    if (read == Problem.MISSING && !warnMissing) {
      return id; // an edge without an ID: a new flow starts, as it should
    }
    String outcome = "using fresh ID " + id;
    if (read == Problem.MISSING && !cfg.headerIgnoreCase()) {
      String variant = variantOf(getter, carrier, cfg);
      if (variant != null) {
        outcome += "; the message has header " + LogSafe.escape(variant) + ", which differs in"
            + " case only (names match exactly: add it to " + CorrelationConfig.HEADER_ALIASES
            + " or set " + CorrelationConfig.HEADER_IGNORE_CASE + "=true)";
      }
    }
    log.report((Problem) read, "Bad correlation ID in header ", header, raw, outcome);
    return id;
  }

  /** The first alias present, or with ignore-case the first header matching a name, or null. */
  private static <C> @Nullable String findOther(Getter<C> getter, C carrier,
      CorrelationConfig cfg) {
    List<String> aliases = cfg.headerAliases();
    if (!cfg.headerIgnoreCase()) {
      for (int i = 0; i < aliases.size(); i++) {
        if (get(getter, carrier, aliases.get(i)) != null) {
          return aliases.get(i);
        }
      }
      return null;
    }
    Iterable<String> keys = keys(getter, carrier);
    String found = matchIgnoringCase(keys, cfg.headerName());
    for (int i = 0; found == null && i < aliases.size(); i++) {
      found = matchIgnoringCase(keys, aliases.get(i));
    }
    return found;
  }

  /** A header whose name equals the main name or an alias but for case, or null. */
  private static <C> @Nullable String variantOf(Getter<C> getter, C carrier,
      CorrelationConfig cfg) {
    Iterable<String> keys = keys(getter, carrier);
    String found = matchIgnoringCase(keys, cfg.headerName());
    List<String> aliases = cfg.headerAliases();
    for (int i = 0; found == null && i < aliases.size(); i++) {
      found = matchIgnoringCase(keys, aliases.get(i));
    }
    return found;
  }

  private static @Nullable String matchIgnoringCase(Iterable<String> keys, String name) {
    try {
      for (String key : keys) {
        if (key != null && key.equalsIgnoreCase(name)) {
          return key;
        }
      }
    } catch (RuntimeException e) {
      return null; // an unreadable carrier has no variants
    }
    return null;
  }

  private static <C> Iterable<String> keys(Getter<C> getter, C carrier) {
    try {
      return getter.keys(carrier);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /**
   * The context of work that starts at an edge with an ID from outside (an HTTP header, say):
   * {@code incoming} is checked as {@link #extract} checks a header (validator, length, control
   * characters, transformer, trust), and replaced by a new ID with a rate-limited WARN when bad.
   * Null (no ID came) starts a new flow without a WARN: at an edge that is normal. No message ID,
   * no causation. Never throws.
   */
  public CorrelationContext edgeContext(@Nullable String incoming) {
    CorrelationConfig cfg = config();
    if (incoming == null) {
      return CorrelationContext.read(newId(cfg), null, null, cfg);
    }
    return extract(new String[] {cfg.headerName(), incoming}, EDGE, null, false);
  }

  /**
   * The context of work that starts at an edge whose request carries headers (HTTP): read as
   * {@link #extract} reads a message (header, aliases, W3C headers when on), except that a request
   * without any ID starts a new flow without a WARN, which at an edge is normal. No message ID,
   * no causation. Never throws.
   */
  public <C> CorrelationContext edgeContext(C request, Getter<C> getter) {
    Objects.requireNonNull(request, "request == null");
    return extract(request, getter, null, false);
  }

  /**
   * Opens {@link #edgeContext(String) the edge context} of {@code incoming} on this thread; see
   * {@link Correlation#continueOrStart(String)}.
   */
  public Scope continueOrStart(@Nullable String incoming) {
    return open(edgeContext(incoming));
  }

  /** An edge's one header: {name, value}. */
  private static final Getter<String[]> EDGE =
      (header, name) -> header[0].equals(name) ? header[1] : null;

  /**
   * Reports, with the same rate-limited WARN as bad headers (one a minute), that the flow could
   * not be written to a message because its client refused the write; for broker modules, which
   * then send the message as it was rather than fail the send.
   *
   * @param message what was being sent, e.g. "a record for topic orders"; escaped where needed
   */
  public void reportUnwritable(String message, RuntimeException failure) {
    config().badInputLog().report(Problem.UNWRITABLE, "Could not write correlation headers to ",
        message, null, "sent without them", failure);
  }

  /**
   * A new ID from the configured generator; if that throws or returns nothing, a random UUID and a
   * rate-limited WARN: a broken generator must not break a send or a receive. Never throws.
   */
  public String newId() {
    return newId(config());
  }

  static String newId(CorrelationConfig cfg) {
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

  /**
   * Opens {@code context} on this thread, writing the MDC keys of the configuration it was read
   * with, else this propagator's.
   */
  public Scope open(CorrelationContext context) {
    Objects.requireNonNull(context, "context == null");
    CorrelationConfig origin = context.origin;
    return Frame.open(context, (origin != null ? origin : config()).mdcKeys());
  }

  static Scope open(CorrelationContext context, CorrelationConfig fallback) {
    Objects.requireNonNull(context, "context == null");
    CorrelationConfig origin = context.origin;
    return Frame.open(context, (origin != null ? origin : fallback).mdcKeys());
  }

  /**
   * Runs {@code handler} on {@code message} with {@code context} open (MDC included), then
   * restores the thread. If the handler throws, {@code hook} (if any) runs first, still inside the
   * scope, so its log line carries the flow; then the exception passes on unchanged. This is the
   * one shape of every message wrapper in the broker modules.
   *
   * @param <M> the message type
   * @param <X> what the handler may throw
   * @throws X what {@code handler} throws, unchanged
   */
  public <M, X extends Throwable> void handle(M message, CorrelationContext context,
      Handler<? super M, X> handler, @Nullable ErrorHook<? super M> hook) throws X {
    Scope scope = open(context);
    try {
      handler.handle(message);
    } catch (Throwable failure) {
      if (hook != null) {
        runErrorHook(hook, message, failure);
      }
      throw failure;
    } finally {
      scope.close();
    }
  }

  /**
   * Runs {@code hook} on a failed {@code message} as {@link #handle} does: a hook that throws is
   * reported with a rate-limited WARN and its exception dropped, so that the handler's exception
   * is the one that passes on. For adapters whose framework opens and closes the message's scope
   * in separate callbacks (a listener container's interceptor), where {@code handle} cannot wrap
   * the handler; call it while the message's scope is still open. Never throws.
   *
   * @throws NullPointerException if {@code hook} is null
   */
  public <M> void runErrorHook(ErrorHook<? super M> hook, M message, Throwable failure) {
    Objects.requireNonNull(hook, "hook == null");
    try {
      hook.onError(message, failure);
    } catch (RuntimeException e) {
      config().badInputLog().report(Problem.HOOK_FAILED, "Error hook ",
          hook.getClass().getName(), null, "the handler's exception passes on unchanged", e);
    }
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

  private static <C> boolean isExplicit(Getter<C> getter, C carrier, String name) {
    try {
      return getter.isExplicit(carrier, name);
    } catch (RuntimeException e) {
      return false;
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
   * Handles one message; the shape of a broker client's callback.
   *
   * @param <M> the message type
   * @param <X> what it may throw
   */
  @FunctionalInterface
  public interface Handler<M, X extends Throwable> {
    /** Handles {@code message}. */
    void handle(M message) throws X;
  }

  /**
   * Reads a header from a carrier.
   *
   * @param <C> the carrier type
   */
  @FunctionalInterface
  public interface Getter<C> {
    /**
     * The raw value of header {@code name} (exact name): null when absent; a {@code String}, a
     * {@code byte[]} of UTF-8 or another {@code CharSequence}; a {@code java.util.List} of those
     * when the header is really present more than once on the wire (Kafka). Anything else,
     * including a list inside that list, counts as a value of the wrong type; a carrier whose
     * values can be structured (AMQP arrays) must hand those over as something other than a list.
     */
    @Nullable Object get(C carrier, String name);

    /**
     * Whether header {@code name} is present, whatever its value. Used on send, per message:
     * carriers with a cheaper lookup than {@link #get} override it.
     */
    default boolean contains(C carrier, String name) {
      return get(carrier, name) != null;
    }

    /**
     * The names of the headers on the carrier, for matching names ignoring case and for naming a
     * near miss in a WARN. Only used when the correlation header is absent. Default: none.
     */
    default Iterable<String> keys(C carrier) {
      return List.of();
    }

    /**
     * Whether header {@code name} was written by {@link #injectFlow} for a given flow, so the send
     * rules must leave the message alone. Carriers mark such headers with a value type of their
     * own; default: never.
     */
    default boolean isExplicit(C carrier, String name) {
      return false;
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
