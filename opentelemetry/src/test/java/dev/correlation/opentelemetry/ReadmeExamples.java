package dev.correlation.opentelemetry;

import dev.correlation.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The README's OpenTelemetry snippet, as it is there, so that the build compiles it against the
 * current API; the it module's ReadmeExamplesTest checks that the README still says the same. Not
 * run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  void bridge(SpanExporter exporter) {
    OpenTelemetryCorrelation bridge = OpenTelemetryCorrelation.create();
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .addSpanProcessor(bridge.spanProcessor())     // or a SpanProcessor @Bean in Spring Boot
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();

    // an HTTP endpoint traced by OpenTelemetry, with no X-Correlation-ID coming in:
    try (Scope flow = bridge.continueFromCurrentSpanOrBaggage()) {
      // ID = baggage member correlation_id if valid, else the trace-id, else a new ID
    }
  }
}
