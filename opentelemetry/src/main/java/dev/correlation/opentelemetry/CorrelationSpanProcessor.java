package dev.correlation.opentelemetry;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.jspecify.annotations.Nullable;

/** Puts our IDs on spans as they start; see {@link OpenTelemetryCorrelation#spanProcessor()}. */
final class CorrelationSpanProcessor implements SpanProcessor {
  private final OpenTelemetryCorrelation bridge;

  private CorrelationSpanProcessor(OpenTelemetryCorrelation bridge) {
    this.bridge = bridge;
  }

  /** Declared as the SDK interface, so that the bridge's class links without the SDK. */
  static SpanProcessor create(OpenTelemetryCorrelation bridge) {
    return new CorrelationSpanProcessor(bridge);
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    CorrelationContext flow = Correlation.current().orElse(null);
    String id;
    if (flow != null) {
      id = flow.correlationId();
      span.setAttribute(OpenTelemetryCorrelation.CORRELATION_ID_KEY, id);
      if (flow.messageId() != null) {
        span.setAttribute(OpenTelemetryCorrelation.MESSAGE_ID_KEY, flow.messageId());
      }
      if (flow.causationId() != null) {
        span.setAttribute(OpenTelemetryCorrelation.CAUSATION_ID_KEY, flow.causationId());
      }
    } else {
      // A consumer span starts before the handler opens the flow; its parent context holds the
      // baggage extracted from the message, where the sender put our ID.
      id = fromBaggage(parentContext, bridge.config());
      if (id == null) {
        return;
      }
      span.setAttribute(OpenTelemetryCorrelation.CORRELATION_ID_KEY, id);
    }
    SpanKind kind = span.getKind();
    if ((kind == SpanKind.CONSUMER || kind == SpanKind.PRODUCER)
        && span.getAttribute(OpenTelemetryCorrelation.CONVERSATION_ID_KEY) == null) {
      span.setAttribute(OpenTelemetryCorrelation.CONVERSATION_ID_KEY, id);
    }
  }

  private static @Nullable String fromBaggage(Context parent, CorrelationConfig cfg) {
    String value = Baggage.fromContext(parent).getEntryValue(cfg.baggageMember());
    if (value == null || value.isEmpty() || value.length() > cfg.maxLength()) {
      return null;
    }
    try {
      return cfg.validator().isValid(value) ? value : null;
    } catch (RuntimeException e) {
      return null; // a broken validator must not break span creation
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }

  @Override
  public String toString() {
    return "CorrelationSpanProcessor";
  }
}
