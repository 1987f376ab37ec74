package dev.correlation.bench;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.it.kafka.KafkaBroker;
import dev.correlation.kafka.CorrelationProducerInterceptor;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * End to end: records per second a producer gets through to the in-JVM KRaft broker (acks=1),
 * without and with our interceptor, sending inside a flow that handles a message (so two headers
 * go out). One op is one record; each invocation sends a burst of 1,000 and waits for all to be
 * acknowledged. Read the ratio: the broker shares the machine.
 *
 * <p>{@code floor}: no interceptor, the same two headers set by hand on each record. It
 * separates what carrying two headers costs Kafka (encoding, bytes on the wire and on disk) from
 * what the interceptor itself costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class KafkaThroughputBenchmark {
  private static final int BURST = 1_000;
  private static final byte[] CORRELATION =
      "7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CAUSATION = "orders-3@1042".getBytes(StandardCharsets.UTF_8);
  /** Record value size in bytes: a tiny event, and a typical 1 KB JSON document. */
  @Param({"12", "1024"})
  public int payloadBytes;

  private String payload;
  private KafkaProducer<String, String> plain;
  private KafkaProducer<String, String> intercepted;
  private String topic;
  private dev.correlation.Scope flow;

  @Setup(Level.Trial)
  public void setUp() {
    payload = "x".repeat(payloadBytes);
    KafkaBroker broker = KafkaBroker.shared();
    topic = "throughput-" + UUID.randomUUID();
    broker.createTopic(topic, 3);
    plain = new KafkaProducer<>(properties(broker, false));
    intercepted = new KafkaProducer<>(properties(broker, true));
  }

  private static Properties properties(KafkaBroker broker, boolean ours) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    if (ours) {
      p.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
          CorrelationProducerInterceptor.class.getName());
    }
    return p;
  }

  @Setup(Level.Iteration)
  public void openFlow() {
    flow = Correlation.open(CorrelationContext.of(
        "7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "orders-3@1042", null));
  }

  @TearDown(Level.Iteration)
  public void closeFlow() {
    flow.close();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plain.close();
    intercepted.close();
  }

  private void burst(KafkaProducer<String, String> producer, boolean byHand) {
    for (int i = 0; i < BURST; i++) {
      ProducerRecord<String, String> record =
          new ProducerRecord<>(topic, "order-" + (i & 63), payload);
      if (byHand) {
        record.headers().add("X-Correlation-ID", CORRELATION).add("X-Causation-ID", CAUSATION);
      }
      producer.send(record);
    }
    producer.flush();
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void baseline() {
    burst(plain, false);
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void floor() {
    burst(plain, true);
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void ours() {
    burst(intercepted, false);
  }
}
