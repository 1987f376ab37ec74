package dev.correlation.bench;

import dev.correlation.sqs.SqsCorrelation;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * SQS consumer side, per message: the per-message handler wrapper, given a {@code Message} as the
 * SDK builds it for each received message (two String attributes), an empty handler behind it.
 *
 * <ul>
 *   <li>floor: by hand: the X-Correlation-ID attribute checked with the default validator,
 *       X-Causation-ID and the MessageId checked, a thread local and the three MDC keys set, the
 *       handler run, all restored ({@link Floor});
 *   <li>ours: {@code SqsCorrelation.wrap(handler)};
 *   <li>OpenTelemetry: W3C {@code traceparent} from the attributes, a consumer span made current,
 *       trace_id/span_id in the MDC ({@link Otel}; its AWS SDK instrumentation is an execution
 *       interceptor that makes spans per SDK call, not a per-message wrapper);
 *   <li>Brave has no SQS instrumentation.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class SqsConsumerBenchmark {
  private static final String MESSAGE_ID = "5fea7756-2f4d-4a4e-9c11-3f6a5e2b1d0c";
  private static final TextMapGetter<Map<String, MessageAttributeValue>> OTEL_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, MessageAttributeValue> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, MessageAttributeValue> carrier, String key) {
          MessageAttributeValue value = carrier == null ? null : carrier.get(key);
          return value == null ? null : value.stringValue();
        }
      };

  private Map<String, MessageAttributeValue> oursAttributes;
  private Map<String, MessageAttributeValue> otelAttributes;
  private Blackhole blackhole;
  private Consumer<Message> handler;
  private Consumer<Message> ours;
  private OpenTelemetrySdk otel;
  private Tracer otelTracer;
  private TextMapPropagator otelPropagator;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    blackhole = bh;
    handler = message -> blackhole.consume(message);
    ours = SqsCorrelation.create().wrap(handler);
    oursAttributes = new HashMap<>();
    oursAttributes.put("X-Correlation-ID", string("7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f"));
    oursAttributes.put("X-Causation-ID", string("0c4e1f7a-9d2b-4c3e-8a5f-6b7d8e9f0a1b"));
    otel = Contenders.openTelemetry();
    otelTracer = otel.getTracer("bench");
    otelPropagator = otel.getPropagators().getTextMapPropagator();
    io.opentelemetry.api.trace.Span parent = otelTracer.spanBuilder("send").startSpan();
    Map<String, MessageAttributeValue> w3c = new HashMap<>();
    otelPropagator.inject(Context.root().with(parent), w3c,
        (carrier, key, value) -> carrier.put(key, string(value)));
    parent.end();
    otelAttributes = w3c;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    otel.close();
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static Message message(Map<String, MessageAttributeValue> attributes) {
    return Message.builder().messageId(MESSAGE_ID).receiptHandle("AQEB-receipt")
        .body("{\"order\":42}").messageAttributes(attributes).build();
  }

  @Benchmark
  public void baseline() {
    handler.accept(message(oursAttributes));
  }

  @Benchmark
  public void floor() {
    Message message = message(oursAttributes);
    Map<String, MessageAttributeValue> attributes = message.messageAttributes();
    MessageAttributeValue id = attributes.get(Floor.HEADER);
    MessageAttributeValue cause = attributes.get(Floor.CAUSATION);
    String messageId = message.messageId();
    Floor.run(Floor.id(id == null ? null : id.stringValue()),
        messageId == null ? null : Floor.causation(messageId),
        cause == null ? null : Floor.causation(cause.stringValue()), message, handler);
  }

  @Benchmark
  public void ours() {
    ours.accept(message(oursAttributes));
  }

  @Benchmark
  public void openTelemetry() {
    Message message = message(otelAttributes);
    Otel.process(otelTracer, otelPropagator, message.messageAttributes(), OTEL_GETTER, message,
        handler);
  }
}
