package dev.correlation.bench;

import brave.Span;
import brave.Tracer;
import brave.Tracing;
import brave.kafka.clients.KafkaTracing;
import dev.correlation.Correlation;
import dev.correlation.kafka.CorrelationProducerInterceptor;
import dev.correlation.kafka.KafkaCorrelation;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.MDC;

/**
 * Kafka consumer side, per record: take the incoming flow / trace from the record's headers, make
 * it current with its MDC entries (Logback's adapter), run an empty handler, restore. Each
 * contender reads a record carrying the headers its own producer side writes; every op builds a
 * fresh record (Brave removes its headers from the record it reads), {@code baseline} included.
 *
 * <ul>
 *   <li>floor: {@link Floor}, by hand: last header's bytes decoded and checked with the default
 *       validator, causation header checked, message ID built, a thread local and the three MDC
 *       keys set, the handler run, all restored;
 *   <li>ours: the wrapped handler {@code KafkaCorrelation.wrap(handler).accept(record)} (what users
 *       run), and {@code oursOpen}, {@code KafkaCorrelation.open(record)} closed after the handler: X-Correlation-ID, X-Causation-ID, message ID
 *       {@code topic-partition@offset}; MDC correlation_id, message_id, causation_id;
 *   <li>OpenTelemetry: W3C {@code traceparent} extracted, a consumer "process" span started and
 *       made current, MDC trace_id and span_id written and removed (OTel's library instrumentation
 *       has no per-record API: this is the hand-written equivalent);
 *   <li>Brave: {@code KafkaTracing.nextSpan(record)} started and put in scope with
 *       {@code MDCScopeDecorator} (traceId, spanId).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class KafkaConsumerBenchmark {
  private static final TextMapGetter<Headers> OTEL_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers carrier) {
      List<String> keys = new ArrayList<>();
      for (Header header : carrier) {
        keys.add(header.key());
      }
      return keys;
    }

    @Override
    public String get(Headers carrier, String key) {
      Header header = carrier == null ? null : carrier.lastHeader(key);
      return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
  };

  private KafkaCorrelation ours;
  private Blackhole blackhole;
  private java.util.function.Consumer<ConsumerRecord<String, String>> handler;
  private java.util.function.Consumer<ConsumerRecord<String, String>> oursWrapped;
  private Header[] oursHeaders;
  private OpenTelemetrySdk otel;
  private io.opentelemetry.api.trace.Tracer otelTracer;
  private TextMapPropagator otelPropagator;
  private Header[] otelHeaders;
  private Tracing tracing;
  private KafkaTracing kafkaTracing;
  private Header[] braveHeaders;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    blackhole = bh;
    handler = record -> blackhole.consume(record);
    ours = KafkaCorrelation.create();
    oursWrapped = ours.wrap(handler);
    CorrelationProducerInterceptor<String, String> interceptor =
        new CorrelationProducerInterceptor<>();
    interceptor.configure(Map.of());
    oursHeaders = Correlation.supplyWith(dev.correlation.CorrelationContext.of(
            "7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "orders-1@17", null),
        () -> interceptor.onSend(sent()).headers().toArray());

    otel = Contenders.openTelemetry();
    otelTracer = otel.getTracer("bench");
    otelPropagator = otel.getPropagators().getTextMapPropagator();
    io.opentelemetry.api.trace.Span parent = otelTracer.spanBuilder("send").startSpan();
    RecordHeaders w3c = new RecordHeaders();
    otelPropagator.inject(Context.root().with(parent), w3c,
        (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
    parent.end();
    otelHeaders = w3c.toArray();

    tracing = Contenders.brave();
    kafkaTracing = KafkaTracing.create(tracing);
    NoopProducer sink = new NoopProducer();
    Span braveParent = tracing.tracer().nextSpan().start();
    try (Tracer.SpanInScope ws = tracing.tracer().withSpanInScope(braveParent)) {
      kafkaTracing.producer(sink).send(sent());
    } finally {
      braveParent.finish();
    }
    braveHeaders = sink.last.headers().toArray();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tracing.close();
    otel.close();
  }

  private static ProducerRecord<String, String> sent() {
    return new ProducerRecord<>("orders", "order-42", "{\"order\":42}");
  }

  private static ConsumerRecord<String, String> received(Header[] headers) {
    return new ConsumerRecord<>("orders", 3, 1042L, 0L, TimestampType.CREATE_TIME, 8, 12,
        "order-42", "{\"order\":42}", new RecordHeaders(headers.clone()), Optional.empty());
  }

  @Benchmark
  public void baseline(Blackhole bh) {
    ConsumerRecord<String, String> record = received(oursHeaders);
    bh.consume(record);
  }

  @Benchmark
  public void floor() {
    ConsumerRecord<String, String> record = received(oursHeaders);
    Headers headers = record.headers();
    Header id = headers.lastHeader(Floor.HEADER);
    Header cause = headers.lastHeader(Floor.CAUSATION);
    Floor.run(Floor.id(id == null ? null : id.value()),
        record.topic() + '-' + record.partition() + '@' + record.offset(),
        cause == null ? null : Floor.causation(cause.value()), record, handler);
  }

  @Benchmark
  public void ours() {
    oursWrapped.accept(received(oursHeaders));
  }

  @Benchmark
  public void oursOpen() {
    ConsumerRecord<String, String> record = received(oursHeaders);
    dev.correlation.Scope scope = ours.open(record);
    try {
      handler.accept(record);
    } finally {
      scope.close();
    }
  }

  @Benchmark
  public void openTelemetry(Blackhole bh) {
    ConsumerRecord<String, String> record = received(otelHeaders);
    Context parent = otelPropagator.extract(Context.root(), record.headers(), OTEL_GETTER);
    io.opentelemetry.api.trace.Span span = otelTracer.spanBuilder("orders process")
        .setSpanKind(SpanKind.CONSUMER).setParent(parent).startSpan();
    try (Scope scope = span.makeCurrent()) {
      SpanContext ids = span.getSpanContext();
      MDC.put("trace_id", ids.getTraceId());
      MDC.put("span_id", ids.getSpanId());
      try {
        bh.consume(record);
      } finally {
        MDC.remove("trace_id");
        MDC.remove("span_id");
      }
    } finally {
      span.end();
    }
  }

  @Benchmark
  public void brave(Blackhole bh) {
    ConsumerRecord<String, String> record = received(braveHeaders);
    Span span = kafkaTracing.nextSpan(record).name("process").start();
    try (Tracer.SpanInScope scope = tracing.tracer().withSpanInScope(span)) {
      bh.consume(record);
    } finally {
      span.finish();
    }
  }
}
