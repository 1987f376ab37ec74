package dev.correlation.bench;

import brave.Span;
import brave.Tracer;
import brave.Tracing;
import brave.kafka.clients.KafkaTracing;
import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.kafka.CorrelationProducerInterceptor;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.internal.OpenTelemetryProducerInterceptor;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Kafka producer side, per record: build a record (with 0 or 5 headers of its own) and send it
 * while a flow / trace is current, the common case inside a handler. Every contender sends to the
 * same do-nothing producer; {@code baseline} is that send without any library.
 *
 * Like {@code KafkaProducer}, the do-nothing producer completes each record's callback, and the
 * interceptor contenders get {@code onAcknowledgement} with the record's metadata: every span
 * started is finished (until 2026-11 Brave's spans never were, and its figure measured a growing
 * pending-span table).
 *
 * <ul>
 *   <li>floor: by hand, the {@link Floor} flow's two headers (X-Correlation-ID, X-Causation-ID)
 *       added after a look-up for an existing copy;
 *   <li>ours: {@code CorrelationProducerInterceptor.onSend} and {@code onAcknowledgement}, as
 *       {@code KafkaProducer} calls them: writes X-Correlation-ID and X-Causation-ID;
 *   <li>OpenTelemetry: its producer interceptor from {@code KafkaTelemetry} (starts and ends a
 *       producer span, injects {@code traceparent});
 *   <li>Brave: {@code KafkaTracing.producer(...)} (a producer span, b3 headers), finished in the
 *       send callback.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class KafkaProducerBenchmark {
  private static final String[] NAMES = {"app-1", "app-2", "app-3", "app-4", "app-5"};

  @Param({"0", "5"})
  public int existingHeaders;

  private final NoopProducer sink = new NoopProducer();
  private final byte[] payload = "{\"order\":42}".getBytes(StandardCharsets.UTF_8);
  private CorrelationProducerInterceptor<String, String> ours;
  private dev.correlation.Scope oursScope;
  private AutoCloseable floorScope;
  private OpenTelemetrySdk otel;
  private OpenTelemetryProducerInterceptor<String, String> otelInterceptor;
  private io.opentelemetry.api.trace.Span otelParent;
  private Scope otelScope;
  private Tracing tracing;
  private Producer<String, String> braveProducer;
  private Span braveParent;
  private Tracer.SpanInScope braveScope;

  @Setup(Level.Trial)
  public void setUp() {
    ours = new CorrelationProducerInterceptor<>();
    ours.configure(Map.of());
    otel = Contenders.openTelemetry();
    otelInterceptor = new OpenTelemetryProducerInterceptor<>();
    otelInterceptor.configure(KafkaTelemetry.create(otel).producerInterceptorConfigProperties());
    tracing = Contenders.brave();
    braveProducer = KafkaTracing.create(tracing).producer(sink);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tracing.close();
    otel.close();
  }

  /** Each contender's "current flow": opened on the benchmark thread, closed after. */
  @Setup(Level.Iteration)
  public void openFlows() {
    oursScope = Correlation.open(CorrelationContext.of(
        "7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "orders-3@1042", "orders-1@17"));
    floorScope = Floor.open("7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "orders-3@1042");
    otelParent = otel.getTracer("bench").spanBuilder("handle").startSpan();
    otelScope = otelParent.makeCurrent();
    braveParent = tracing.tracer().nextSpan().name("handle").start();
    braveScope = tracing.tracer().withSpanInScope(braveParent);
  }

  @TearDown(Level.Iteration)
  public void closeFlows() throws Exception {
    floorScope.close();
    braveScope.close();
    braveParent.finish();
    otelScope.close();
    otelParent.end();
    oursScope.close();
  }

  private ProducerRecord<String, String> record() {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < existingHeaders; i++) {
      headers.add(NAMES[i], payload);
    }
    return new ProducerRecord<>("orders", null, "order-42", "{\"order\":42}", headers);
  }

  @Benchmark
  public Future<RecordMetadata> baseline() {
    return sink.send(record());
  }

  @Benchmark
  public Future<RecordMetadata> floor() {
    ProducerRecord<String, String> record = record();
    Floor.Flow flow = Floor.current();
    Headers headers = record.headers();
    if (headers.lastHeader(Floor.HEADER) != null) {
      headers.remove(Floor.HEADER);
    }
    headers.add(Floor.HEADER, flow.idUtf8());
    if (headers.lastHeader(Floor.CAUSATION) != null) {
      headers.remove(Floor.CAUSATION);
    }
    headers.add(Floor.CAUSATION, flow.messageIdUtf8());
    return sink.send(record);
  }

  @Benchmark
  public Future<RecordMetadata> ours() {
    Future<RecordMetadata> sent = sink.send(ours.onSend(record()));
    ours.onAcknowledgement(NoopProducer.METADATA, null);
    return sent;
  }

  @Benchmark
  public Future<RecordMetadata> openTelemetry() {
    Future<RecordMetadata> sent = sink.send(otelInterceptor.onSend(record()));
    otelInterceptor.onAcknowledgement(NoopProducer.METADATA, null);
    return sent;
  }

  @Benchmark
  public Future<RecordMetadata> brave() {
    return braveProducer.send(record());
  }
}
