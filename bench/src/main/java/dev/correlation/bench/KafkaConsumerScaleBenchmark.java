package dev.correlation.bench;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.kafka.CorrelationProducerInterceptor;
import dev.correlation.kafka.KafkaCorrelation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How the Kafka consumer cost grows with the work: the floor and ours (the wrapped handler, as in
 * {@link KafkaConsumerBenchmark}) on records carrying 0, 5 or 20 other headers before ours, and on
 * 1, 2 and 4 threads at once (each with its own records: the shared parts are the configuration,
 * the validator, the WARN limiter and the ID generator, which must not contend). The thread counts
 * run with the 0-header record. On a machine with fewer cores than threads, time per op grows with
 * the oversubscription for every contender alike: compare the ratio, not the times.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class KafkaConsumerScaleBenchmark {
  @Param({"0", "5", "20"})
  public int otherHeaders;

  private Header[] headers;
  private Blackhole blackhole;
  private Consumer<ConsumerRecord<String, String>> handler;
  private Consumer<ConsumerRecord<String, String>> ours;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    blackhole = bh;
    handler = record -> blackhole.consume(record);
    ours = KafkaCorrelation.create().wrap(handler);
    CorrelationProducerInterceptor<String, String> interceptor =
        new CorrelationProducerInterceptor<>();
    interceptor.configure(Map.of());
    Header[] own = Correlation.supplyWith(CorrelationContext.of(
            "7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "orders-1@17", null),
        () -> interceptor.onSend(new ProducerRecord<>("orders", "order-42", "{}")).headers()
            .toArray());
    List<Header> all = new ArrayList<>();
    for (int i = 0; i < otherHeaders; i++) {
      all.add(new RecordHeader("app-header-" + i,
          ("value-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    all.addAll(List.of(own));
    headers = all.toArray(new Header[0]);
  }

  private ConsumerRecord<String, String> received() {
    return new ConsumerRecord<>("orders", 3, 1042L, 0L, TimestampType.CREATE_TIME, 8, 12,
        "order-42", "{\"order\":42}", new RecordHeaders(headers.clone()), Optional.empty());
  }

  private void floorOnce() {
    ConsumerRecord<String, String> record = received();
    Headers h = record.headers();
    Header id = h.lastHeader(Floor.HEADER);
    Header cause = h.lastHeader(Floor.CAUSATION);
    Floor.run(Floor.id(id == null ? null : id.value()),
        record.topic() + '-' + record.partition() + '@' + record.offset(),
        cause == null ? null : Floor.causation(cause.value()), record, handler);
  }

  @Benchmark
  public void floor() {
    floorOnce();
  }

  @Benchmark
  public void ours() {
    ours.accept(received());
  }

  @Benchmark
  @Threads(2)
  public void floor2Threads() {
    floorOnce();
  }

  @Benchmark
  @Threads(2)
  public void ours2Threads() {
    ours.accept(received());
  }

  @Benchmark
  @Threads(4)
  public void floor4Threads() {
    floorOnce();
  }

  @Benchmark
  @Threads(4)
  public void ours4Threads() {
    ours.accept(received());
  }
}
