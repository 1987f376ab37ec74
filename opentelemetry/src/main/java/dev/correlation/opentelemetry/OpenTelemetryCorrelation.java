package dev.correlation.opentelemetry;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Joins our flows and OpenTelemetry traces, both ways:
 *
 * <ul>
 *   <li>{@link #spanProcessor()}: every span started while a flow is open carries
 *       {@value #CORRELATION_ID} (and {@value #MESSAGE_ID}, {@value #CAUSATION_ID} while a message
 *       is handled); a span started outside any flow whose parent context holds our baggage
 *       member (a consumer span of a message sent with {@code correlation.baggage=write}) carries
 *       {@value #CORRELATION_ID} from it. Messaging spans also get
 *       {@code messaging.message.conversation_id}, the semantic conventions' name for a
 *       correlation ID, unless the instrumentation set one.</li>
 *   <li>{@link #continueFromCurrentSpanOrBaggage()}: at an edge without our header (an HTTP
 *       endpoint instrumented by OpenTelemetry), opens a flow whose ID is the current baggage
 *       member, else the current trace-id, else a new ID.</li>
 * </ul>
 *
 * <p>Needs only {@code opentelemetry-api}; {@link #spanProcessor()} returns an SDK type and so needs
 * the SDK, which whoever registers span processors has. Thread safe.
 */
public final class OpenTelemetryCorrelation {
  /** Span attribute holding the correlation ID. */
  public static final String CORRELATION_ID = "correlation.id";
  /** Span attribute holding the broker ID of the message being handled when the span started. */
  public static final String MESSAGE_ID = "correlation.message.id";
  /** Span attribute holding the ID of the message that caused the one being handled. */
  public static final String CAUSATION_ID = "correlation.causation.id";
  /** The messaging semantic conventions' attribute for a correlation ID. */
  public static final String CONVERSATION_ID = "messaging.message.conversation_id";

  static final AttributeKey<String> CORRELATION_ID_KEY = AttributeKey.stringKey(CORRELATION_ID);
  static final AttributeKey<String> MESSAGE_ID_KEY = AttributeKey.stringKey(MESSAGE_ID);
  static final AttributeKey<String> CAUSATION_ID_KEY = AttributeKey.stringKey(CAUSATION_ID);
  static final AttributeKey<String> CONVERSATION_ID_KEY = AttributeKey.stringKey(CONVERSATION_ID);

  private static final TextMapSetter<Map<String, String>> MAP_SETTER = (map, key, value) -> {
    if (map != null) {
      map.put(key, value);
    }
  };
  private static final CorrelationPropagator.Getter<Map<String, String>> MAP_GETTER = Map::get;

  private final @Nullable CorrelationConfig own;
  // The edge reads W3C headers whatever the wire settings say; derived once per source config so
  // that its WARNs keep one rate limit.
  private volatile @Nullable Derived derived;

  private OpenTelemetryCorrelation(@Nullable CorrelationConfig own) {
    this.own = own;
  }

  /** A bridge that follows the process-wide configuration, {@link Correlation#config()}. */
  public static OpenTelemetryCorrelation create() {
    return new OpenTelemetryCorrelation(null);
  }

  /** A bridge with its own configuration (MDC keys, validator, baggage member name). */
  public static OpenTelemetryCorrelation create(CorrelationConfig config) {
    return new OpenTelemetryCorrelation(Objects.requireNonNull(config, "config == null"));
  }

  CorrelationConfig config() {
    CorrelationConfig c = own;
    return c != null ? c : Correlation.config();
  }

  /**
   * A span processor to register with the SDK's tracer provider
   * ({@code SdkTracerProvider.builder().addSpanProcessor(...)}, or a {@code SpanProcessor} bean in
   * Spring Boot). It only adds attributes when a span starts; it never ends, exports or drops one.
   * A baggage value that fails the configured validator is not copied.
   */
  public SpanProcessor spanProcessor() {
    return CorrelationSpanProcessor.create(this);
  }

  /**
   * Opens a flow on this thread from the current OpenTelemetry context, for an edge that has no
   * correlation header: the ID is the current baggage's member ({@code correlation.baggage.member},
   * default {@code correlation_id}) if valid, else the current span's trace-id, else a new ID. The
   * values are checked as an incoming header is; a bad baggage member is ignored with a
   * rate-limited, escaped WARN. Use with try-with-resources.
   */
  public Scope continueFromCurrentSpanOrBaggage() {
    Derived d = derived();
    Context current = Context.current();
    CorrelationConfig cfg = d.propagator.config();
    boolean member = Baggage.fromContext(current).getEntryValue(cfg.baggageMember()) != null;
    boolean span = Span.fromContext(current).getSpanContext().isValid();
    Map<String, String> w3c = new HashMap<>(4);
    if (!member && !span) {
      String id = newId(cfg);
      if (id != null) {
        return d.propagator.open(CorrelationContext.of(id));
      }
      // a broken generator: core's receive path has the fallback (a random UUID, with a WARN)
      return d.propagator.open(d.propagator.extract(w3c, MAP_GETTER, null));
    }
    if (member) {
      W3CBaggagePropagator.getInstance().inject(current, w3c, MAP_SETTER);
    }
    if (span) {
      W3CTraceContextPropagator.getInstance().inject(current, w3c, MAP_SETTER);
    }
    return d.propagator.open(d.propagator.extract(w3c, MAP_GETTER, null));
  }

  private static @Nullable String newId(CorrelationConfig cfg) {
    try {
      String id = cfg.generator().newId();
      return id == null || id.isEmpty() ? null : id;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Derived derived() {
    CorrelationConfig source = config();
    Derived d = derived;
    if (d == null || d.source != source) {
      d = new Derived(source, CorrelationPropagator.create(
          source.toBuilder().readBaggage(true).readTraceparent(true).build()));
      derived = d;
    }
    return d;
  }

  private static final class Derived {
    final CorrelationConfig source;
    final CorrelationPropagator propagator;

    Derived(CorrelationConfig source, CorrelationPropagator propagator) {
      this.source = source;
      this.propagator = propagator;
    }
  }
}
