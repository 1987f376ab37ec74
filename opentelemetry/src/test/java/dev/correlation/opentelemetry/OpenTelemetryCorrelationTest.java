package dev.correlation.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import dev.correlation.testing.LogCapture;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class OpenTelemetryCorrelationTest {
  private final OpenTelemetryCorrelation bridge = OpenTelemetryCorrelation.create();
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(bridge.spanProcessor())
      .addSpanProcessor(SimpleSpanProcessor.create(exporter))
      .build();
  private final Tracer tracer = provider.get("test");
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void close() {
    log.close();
    provider.close();
  }

  private SpanData only() {
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void spansStartedInAFlowCarryItsIds() {
    Correlation.runWith(CorrelationContext.of("flow-1", "orders-0@7", "orders-0@3"),
        () -> tracer.spanBuilder("handle").startSpan().end());
    SpanData span = only();
    assertThat(attr(span, "correlation.id")).isEqualTo("flow-1");
    assertThat(attr(span, "correlation.message.id")).isEqualTo("orders-0@7");
    assertThat(attr(span, "correlation.causation.id")).isEqualTo("orders-0@3");
    assertThat(attr(span, "messaging.message.conversation_id")).as("not a messaging span")
        .isNull();
  }

  @Test
  void messagingSpansAlsoGetTheConventionsConversationId() {
    Correlation.runWith("flow-1",
        () -> tracer.spanBuilder("send").setSpanKind(SpanKind.PRODUCER).startSpan().end());
    SpanData span = only();
    assertThat(attr(span, "messaging.message.conversation_id")).isEqualTo("flow-1");
    assertThat(attr(span, "correlation.message.id")).isNull();
  }

  @Test
  void keepsAConversationIdTheInstrumentationSet() {
    Correlation.runWith("flow-1", () -> tracer.spanBuilder("send").setSpanKind(SpanKind.PRODUCER)
        .setAttribute("messaging.message.conversation_id", "theirs").startSpan().end());
    assertThat(attr(only(), "messaging.message.conversation_id")).isEqualTo("theirs");
  }

  @Test
  void spansOutsideAnyFlowGetNothing() {
    tracer.spanBuilder("idle").startSpan().end();
    assertThat(only().getAttributes().asMap()).isEmpty();
  }

  @Test
  void aConsumerSpanOutsideAFlowTakesTheIdFromItsParentsBaggage() {
    Context parent = Context.root().with(Baggage.builder().put("correlation_id", "flow-9")
        .put("other", "x").build());
    tracer.spanBuilder("process").setParent(parent).setSpanKind(SpanKind.CONSUMER).startSpan()
        .end();
    SpanData span = only();
    assertThat(attr(span, "correlation.id")).isEqualTo("flow-9");
    assertThat(attr(span, "messaging.message.conversation_id")).isEqualTo("flow-9");
  }

  @Test
  void anInvalidBaggageValueIsNotCopied() {
    Context parent = Context.root().with(Baggage.builder().put("correlation_id", "a b\nc").build());
    tracer.spanBuilder("process").setParent(parent).startSpan().end();
    assertThat(only().getAttributes().asMap()).isEmpty();
  }

  @Test
  void theEdgeTakesTheBaggageMemberFirst() {
    Span span = tracer.spanBuilder("http").startSpan();
    Context ctx = Context.root().with(span).with(Baggage.builder()
        .put("correlation_id", "order 42/é").build());
    try (io.opentelemetry.context.Scope otel = ctx.makeCurrent()) {
      CorrelationConfig lenient = CorrelationConfig.builder()
          .validator(dev.correlation.IdValidator.acceptAny()).build();
      try (Scope flow = OpenTelemetryCorrelation.create(lenient)
          .continueFromCurrentSpanOrBaggage()) {
        assertThat(Correlation.currentId()).isEqualTo("order 42/é");
      }
    } finally {
      span.end();
    }
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void theEdgeTakesTheTraceIdWithoutBaggage() {
    Span span = tracer.spanBuilder("http").startSpan();
    try (io.opentelemetry.context.Scope otel = span.makeCurrent();
        Scope flow = bridge.continueFromCurrentSpanOrBaggage()) {
      assertThat(Correlation.currentId()).isEqualTo(span.getSpanContext().getTraceId());
      assertThat(MDC.get("correlation_id")).isEqualTo(span.getSpanContext().getTraceId());
    } finally {
      span.end();
    }
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void theEdgeIgnoresABadBaggageMemberWithAWarnAndUsesTheTraceId() {
    Span span = tracer.spanBuilder("http").startSpan();
    Context ctx = Context.root().with(span).with(Baggage.builder()
        .put("correlation_id", "bad id\nINFO forged").build());
    try (io.opentelemetry.context.Scope otel = ctx.makeCurrent();
        Scope flow = bridge.continueFromCurrentSpanOrBaggage()) {
      assertThat(Correlation.currentId()).isEqualTo(span.getSpanContext().getTraceId());
    } finally {
      span.end();
    }
    assertThat(log.warnings()).singleElement().asString()
        .startsWith("Ignored header baggage").doesNotContain("\n");
  }

  @Test
  void theEdgeStartsANewFlowWithoutAnyTraceContext() {
    String id;
    try (Scope flow = bridge.continueFromCurrentSpanOrBaggage()) {
      id = Correlation.currentId();
    }
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void theEdgeSurvivesABrokenGenerator() {
    OpenTelemetryCorrelation broken = OpenTelemetryCorrelation.create(CorrelationConfig.builder()
        .generator(() -> {
          throw new IllegalStateException("no entropy");
        }).build());
    try (Scope flow = broken.continueFromCurrentSpanOrBaggage()) {
      assertThat(Correlation.currentId()).matches("[0-9a-f-]{36}");
    }
    assertThat(log.warnings()).anySatisfy(w -> assertThat(w).startsWith("Bad ID from generator"));
  }

  @Test
  void theEdgeFollowsTheProcessWideBaggageMemberName() {
    Correlation.configure(CorrelationConfig.builder().baggageMember("flow").build());
    Context ctx = Context.root().with(Baggage.builder().put("flow", "from-flow")
        .put("correlation_id", "not-this").build());
    try (io.opentelemetry.context.Scope otel = ctx.makeCurrent();
        Scope flow = bridge.continueFromCurrentSpanOrBaggage()) {
      assertThat(Correlation.currentId()).isEqualTo("from-flow");
    }
  }
}
