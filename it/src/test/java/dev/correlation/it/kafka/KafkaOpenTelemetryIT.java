package dev.correlation.it.kafka;

import static dev.correlation.it.kafka.KafkaClients.newTopic;
import static dev.correlation.it.kafka.KafkaClients.send;
import static dev.correlation.it.kafka.KafkaClients.values;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.Correlation;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.opentelemetry.OpenTelemetryCorrelation;
import dev.correlation.testing.LogCapture;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our interceptor next to OpenTelemetry's own Kafka instrumentation ({@code KafkaTelemetry}
 * wrapping producer and consumer) on the in-JVM broker: both write their headers, neither
 * disturbs the other, and the exported spans join the log lines through {@code correlation.id}.
 */
class KafkaOpenTelemetryIT {
  private static final Logger LOG = LoggerFactory.getLogger("shop.orders");

  static {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LOG;
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.setAdditive(false);
  }

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder()
          .addSpanProcessor(OpenTelemetryCorrelation.create().spanProcessor())
          .addSpanProcessor(SimpleSpanProcessor.create(exporter))
          .build())
      .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
          W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
      .build();
  private final KafkaTelemetry telemetry = KafkaTelemetry.create(otel);
  private final Tracer tracer = otel.getTracer("shop");
  private final LogCapture log = new LogCapture("shop.orders");

  @AfterEach
  void close() {
    log.close();
    otel.close();
  }

  @Test
  void bothHeadersTravelAndTheConsumerSpanCarriesOurId() {
    String topic = newTopic("otel", 1);
    Span checkout = tracer.spanBuilder("checkout").startSpan();
    Context otelContext = Context.root().with(checkout)
        .with(Baggage.builder().put("tenant", "acme").build());
    try (Producer<String, String> producer = telemetry.wrap(
            KafkaClients.producer(Map.of("correlation.baggage", "write")));
        io.opentelemetry.context.Scope otelScope = otelContext.makeCurrent()) {
      Correlation.runWith("order-42", () -> {
        LOG.info("placing order");
        send(producer, new ProducerRecord<>(topic, "k", "order"));
      });
    } finally {
      checkout.end();
    }

    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    KafkaCorrelation kafka = KafkaCorrelation.create();
    try (Consumer<String, String> consumer = telemetry.wrap(KafkaClients.consumer(topic))) {
      long deadline = System.nanoTime() + KafkaClients.TIMEOUT.toNanos();
      while (received.isEmpty() && System.nanoTime() - deadline < 0) {
        // iterating the wrapped records starts and ends OpenTelemetry's process span per record
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          received.add(record);
          kafka.<String, String>wrap(r -> {
            LOG.info("handling order");
            tracer.spanBuilder("reserve stock").startSpan().end();
          }).accept(record);
        }
      }
    }
    assertThat(received).as("records received").hasSize(1);
    ConsumerRecord<String, String> record = received.get(0);

    // both headers written, each once, neither disturbed
    assertThat(values(record.headers(), "X-Correlation-ID")).containsExactly("order-42");
    assertThat(values(record.headers(), "baggage"))
        .containsExactly("tenant=acme,correlation_id=order-42");
    List<String> traceparent = values(record.headers(), "traceparent");
    assertThat(traceparent).singleElement().asString()
        .startsWith("00-" + checkout.getSpanContext().getTraceId() + "-");

    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData send = only(spans, SpanKind.PRODUCER);
    SpanData process = only(spans, SpanKind.CONSUMER);
    SpanData reserve = spans.stream().filter(s -> s.getName().equals("reserve stock"))
        .findFirst().orElseThrow();
    assertThat(traceparent.get(0)).contains("-" + send.getSpanId() + "-");
    assertThat(process.getTraceId()).as("OpenTelemetry's own propagation is intact")
        .isEqualTo(checkout.getSpanContext().getTraceId());
    assertThat(attr(send, "correlation.id")).isEqualTo("order-42");
    assertThat(attr(process, "correlation.id")).as("consumer span").isEqualTo("order-42");
    assertThat(attr(process, "messaging.message.conversation_id")).isEqualTo("order-42");
    assertThat(attr(reserve, "correlation.id")).isEqualTo("order-42");
    assertThat(attr(reserve, "correlation.message.id"))
        .isEqualTo(topic + "-0@" + record.offset());

    // the join: every log line's correlation_id finds its spans, and they form one trace
    List<ILoggingEvent> lines = log.events();
    assertThat(lines).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("placing order", "handling order");
    for (ILoggingEvent line : lines) {
      String id = line.getMDCPropertyMap().get("correlation_id");
      Set<String> traces = spans.stream().filter(s -> id.equals(attr(s, "correlation.id")))
          .map(SpanData::getTraceId).collect(Collectors.toSet());
      assertThat(traces).as("traces of " + line.getFormattedMessage())
          .containsExactly(checkout.getSpanContext().getTraceId());
    }
  }

  @Test
  void withoutBaggageWriteTheWireHasOnlyOpenTelemetrysBaggage() {
    String topic = newTopic("otel-off", 1);
    Span checkout = tracer.spanBuilder("checkout").startSpan();
    Context otelContext = Context.root().with(checkout)
        .with(Baggage.builder().put("tenant", "acme").build());
    try (Producer<String, String> producer = telemetry.wrap(KafkaClients.producer());
        io.opentelemetry.context.Scope otelScope = otelContext.makeCurrent()) {
      Correlation.runWith("order-43", () -> send(producer, new ProducerRecord<>(topic, "k", "v")));
    } finally {
      checkout.end();
    }
    try (Consumer<String, String> consumer = KafkaClients.consumer(topic)) {
      ConsumerRecord<String, String> record =
          KafkaClients.poll((org.apache.kafka.clients.consumer.KafkaConsumer<String, String>)
              consumer, 1).get(0);
      assertThat(values(record.headers(), "X-Correlation-ID")).containsExactly("order-43");
      assertThat(values(record.headers(), "baggage")).containsExactly("tenant=acme");
      assertThat(values(record.headers(), "traceparent")).hasSize(1);
    }
  }

  private static SpanData only(List<SpanData> spans, SpanKind kind) {
    List<SpanData> ofKind = spans.stream().filter(s -> s.getKind() == kind)
        .collect(Collectors.toList());
    assertThat(ofKind).as(kind + " spans in " + spans).hasSize(1);
    return ofKind.get(0);
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }
}
