package dev.correlation.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** A producer whose send does nothing, so that only instrumentation is measured. */
final class NoopProducer extends MockProducer<String, String> {
  private static final Future<RecordMetadata> DONE = CompletableFuture.completedFuture(null);
  /** Read by the benchmarks so that the JIT cannot drop the record. */
  volatile ProducerRecord<String, String> last;

  NoopProducer() {
    super(true, null, new StringSerializer(), new StringSerializer());
  }

  @Override
  public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> record,
      Callback callback) {
    last = record;
    return DONE;
  }
}
