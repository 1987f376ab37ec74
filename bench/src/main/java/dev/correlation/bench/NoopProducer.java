package dev.correlation.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A producer whose send does nothing but what every real producer does for each record: complete
 * the record's callback (Brave's producer finishes its span there) with the record's metadata.
 * So only instrumentation is measured, and every contender finishes what it starts.
 */
final class NoopProducer extends MockProducer<String, String> {
  /** What the broker acknowledged: the same metadata for every record. */
  static final RecordMetadata METADATA =
      new RecordMetadata(new TopicPartition("orders", 3), 1042L, 0, 0L, 8, 12);
  private static final Future<RecordMetadata> DONE = CompletableFuture.completedFuture(METADATA);
  /** Read by the benchmarks so that the JIT cannot drop the record. */
  volatile ProducerRecord<String, String> last;

  NoopProducer() {
    super(true, null, new StringSerializer(), new StringSerializer());
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<String, String> record,
      Callback callback) {
    last = record;
    if (callback != null) {
      callback.onCompletion(METADATA, null);
    }
    return DONE;
  }
}
