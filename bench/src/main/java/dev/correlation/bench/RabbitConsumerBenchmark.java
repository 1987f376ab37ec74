package dev.correlation.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.rabbitmq.RabbitCorrelation;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * RabbitMQ consumer side, per delivery: {@code handleDelivery} of a wrapped {@code Consumer}, with
 * the envelope and properties the client builds for each delivery (headers as {@code LongString},
 * as they arrive from the wire), an empty handler behind it.
 *
 * <ul>
 *   <li>floor: a hand-written wrapping consumer: X-Correlation-ID checked with the default
 *       validator, X-Causation-ID and the AMQP message-id checked, a thread local and the three MDC
 *       keys set, the delegate called, all restored ({@link Floor});
 *   <li>ours: {@code RabbitCorrelation.wrap(consumer)};
 *   <li>OpenTelemetry: W3C {@code traceparent} from the headers, a consumer span made current,
 *       trace_id/span_id in the MDC ({@link Otel}; no library instrumentation of amqp-client);
 *   <li>Brave has no amqp-client instrumentation (only spring-rabbit).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class RabbitConsumerBenchmark {
  private static final byte[] BODY = "{\"order\":42}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final TextMapGetter<Map<String, Object>> OTEL_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, Object> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, Object> carrier, String key) {
      Object value = carrier == null ? null : carrier.get(key);
      return value == null ? null : value.toString();
    }
  };

  private Map<String, Object> oursHeaders;
  private Map<String, Object> otelHeaders;
  private Consumer handler;
  private Consumer ours;
  private Consumer floor;
  private OpenTelemetrySdk otel;
  private Tracer otelTracer;
  private TextMapPropagator otelPropagator;
  private Blackhole blackhole;
  private java.util.function.Consumer<AMQP.BasicProperties> otelHandler;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    blackhole = bh;
    oursHeaders = new HashMap<>();
    oursHeaders.put("X-Correlation-ID",
        LongStringHelper.asLongString("7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f"));
    oursHeaders.put("X-Causation-ID", LongStringHelper.asLongString("orders-1@17"));
    handler = new DefaultConsumer(null) {
      @Override
      public void handleDelivery(String consumerTag, Envelope envelope,
          AMQP.BasicProperties properties, byte[] body) {
        blackhole.consume(body);
      }
    };
    ours = RabbitCorrelation.create().wrap(handler);
    otelHandler = p -> {
      try {
        handler.handleDelivery("ctag-1", envelope(), p, BODY);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    floor = new FloorConsumer(handler);
    otel = Contenders.openTelemetry();
    otelTracer = otel.getTracer("bench");
    otelPropagator = otel.getPropagators().getTextMapPropagator();
    io.opentelemetry.api.trace.Span parent = otelTracer.spanBuilder("send").startSpan();
    Map<String, Object> w3c = new HashMap<>();
    otelPropagator.inject(Context.root().with(parent), w3c,
        (carrier, key, value) -> carrier.put(key, LongStringHelper.asLongString(value)));
    parent.end();
    otelHeaders = w3c;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    otel.close();
  }

  private static AMQP.BasicProperties properties(Map<String, Object> headers) {
    return new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
        .messageId("5fea7756-2f4d-4a4e-9c11-3f6a5e2b1d0c").headers(headers).build();
  }

  private static Envelope envelope() {
    return new Envelope(1042L, false, "orders", "order.created");
  }

  @Benchmark
  public void baseline() throws Exception {
    handler.handleDelivery("ctag-1", envelope(), properties(oursHeaders), BODY);
  }

  @Benchmark
  public void floor() throws Exception {
    floor.handleDelivery("ctag-1", envelope(), properties(oursHeaders), BODY);
  }

  @Benchmark
  public void ours() throws Exception {
    ours.handleDelivery("ctag-1", envelope(), properties(oursHeaders), BODY);
  }

  @Benchmark
  public void openTelemetry() {
    AMQP.BasicProperties properties = properties(otelHeaders);
    Otel.process(otelTracer, otelPropagator, properties.getHeaders(), OTEL_GETTER, properties,
        otelHandler);
  }

  /** The floor, as a user would write it: a consumer that wraps another. */
  static final class FloorConsumer extends DefaultConsumer {
    private final Consumer delegate;

    FloorConsumer(Consumer delegate) {
      super(null);
      this.delegate = delegate;
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope,
        AMQP.BasicProperties properties, byte[] body) throws java.io.IOException {
      Map<String, Object> headers = properties.getHeaders();
      Object id = headers == null ? null : headers.get(Floor.HEADER);
      Object cause = headers == null ? null : headers.get(Floor.CAUSATION);
      String messageId = properties.getMessageId();
      String flowId = Floor.id(id instanceof LongString ? ((LongString) id).getBytes() : null);
      String ownId = messageId == null ? null : Floor.causation(messageId);
      String causation =
          cause instanceof LongString ? Floor.causation(((LongString) cause).getBytes()) : null;
      String previousId = org.slf4j.MDC.get(Floor.MDC_ID);
      String previousMessage = org.slf4j.MDC.get(Floor.MDC_MESSAGE);
      String previousCausation = org.slf4j.MDC.get(Floor.MDC_CAUSATION);
      Floor.Flow previous = Floor.swap(new Floor.Flow(flowId, ownId));
      org.slf4j.MDC.put(Floor.MDC_ID, flowId);
      Floor.set(Floor.MDC_MESSAGE, ownId);
      Floor.set(Floor.MDC_CAUSATION, causation);
      try {
        delegate.handleDelivery(consumerTag, envelope, properties, body);
      } finally {
        Floor.set(Floor.MDC_ID, previousId);
        Floor.set(Floor.MDC_MESSAGE, previousMessage);
        Floor.set(Floor.MDC_CAUSATION, previousCausation);
        Floor.swap(previous);
      }
    }
  }
}
