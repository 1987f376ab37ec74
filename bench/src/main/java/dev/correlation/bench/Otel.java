package dev.correlation.bench;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.function.Consumer;
import org.slf4j.MDC;

/**
 * The OpenTelemetry consumer contender, by hand (its library instrumentations have no per-message
 * API for these clients): extract W3C {@code traceparent}, start a consumer "process" span with it
 * as parent, make it current, write trace_id and span_id to the MDC, run the handler, undo all, end
 * the span.
 */
final class Otel {
  private Otel() {}

  static <C, M> void process(Tracer tracer, TextMapPropagator propagator, C carrier,
      TextMapGetter<C> getter, M message, Consumer<? super M> handler) {
    Context parent = propagator.extract(Context.root(), carrier, getter);
    Span span = tracer.spanBuilder("orders process").setSpanKind(SpanKind.CONSUMER)
        .setParent(parent).startSpan();
    try (Scope scope = span.makeCurrent()) {
      SpanContext ids = span.getSpanContext();
      MDC.put("trace_id", ids.getTraceId());
      MDC.put("span_id", ids.getSpanId());
      try {
        handler.accept(message);
      } finally {
        MDC.remove("trace_id");
        MDC.remove("span_id");
      }
    } finally {
      span.end();
    }
  }
}
