package dev.correlation.kafka;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationPropagator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Writes the current flow into every record a Kafka producer sends. Wire it with one producer
 * property:
 *
 * <pre>
 * interceptor.classes=dev.correlation.kafka.CorrelationProducerInterceptor
 * </pre>
 *
 * <p>{@link #onSend} runs on the thread that calls {@code send}, so it sees that thread's context:
 * inside a flow, the flow's ID replaces any correlation header on the record (a record built from
 * a received one's headers must not carry the raw incoming value on); outside any flow, a
 * correlation header the caller set is kept if valid (else replaced, with a rate-limited WARN);
 * with none (the edge of a flow), a new ID. While a record is being handled,
 * {@code X-Causation-ID} is set to its message ID. Our headers are replaced, never duplicated. A
 * record written by {@link KafkaCorrelation#inject(ProducerRecord, dev.correlation.CorrelationContext)}
 * for a given flow is left as it is. A record whose headers are read-only, because it was sent before, is replaced by a
 * copy carrying our headers. {@code onSend} never throws; if it cannot add the headers, the record
 * goes out as it came, with a rate-limited WARN.
 *
 * <p>Configuration comes from the producer's own properties, strings under {@code correlation.}
 * (see {@link CorrelationConfig}): with none, the interceptor follows the process-wide
 * {@link Correlation#config()}; with any, it uses {@link CorrelationConfig#fromMap} of them, and an
 * unknown key or bad value fails the producer's construction with a message naming the key.
 *
 * <p>Thread safe, as the producer requires. Works with idempotent and transactional producers: it
 * only adds headers, before the record is serialized and batched.
 *
 * @param <K> the record key type
 * @param <V> the record value type
 */
public final class CorrelationProducerInterceptor<K, V> implements ProducerInterceptor<K, V> {
  private volatile CorrelationPropagator propagator = CorrelationPropagator.create();

  /**
   * For Kafka, which creates interceptors from {@code interceptor.classes} and then calls
   * {@link #configure}. Until then, the interceptor follows the process-wide configuration.
   */
  public CorrelationProducerInterceptor() {}

  /**
   * Takes the {@code correlation.*} entries of the producer's properties; other entries are
   * ignored. No such entry: follow {@link Correlation#config()}, as it changes.
   *
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key, a
   *     value that is not a string, or a value that is not allowed; the producer then fails to
   *     construct
   * @throws NullPointerException if {@code configs} is null
   */
  @Override
  public void configure(Map<String, ?> configs) {
    Objects.requireNonNull(configs, "configs == null");
    Map<String, Object> own = null;
    for (Map.Entry<String, ?> entry : configs.entrySet()) {
      String key = entry.getKey();
      if (key != null && key.startsWith(CorrelationConfig.PREFIX)) {
        if (own == null) {
          own = new HashMap<>();
        }
        // get(), not entry.getValue(): Kafka's config map counts a get() as a use, so the producer
        // does not report our keys as "supplied but not used".
        own.put(key, configs.get(key));
      }
    }
    propagator = own == null
        ? CorrelationPropagator.create()
        : CorrelationPropagator.create(CorrelationConfig.fromMap(own));
  }

  /**
   * Adds the correlation and causation headers to {@code record}, following the send rules above.
   *
   * @return {@code record} itself, or a copy of it (same topic, partition, timestamp, key, value
   *     and headers, plus ours) when its headers are read-only; never throws
   */
  @Override
  public ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
    return OutgoingRecords.write(record, propagator, null);
  }

  /** Does nothing: the interceptor acts before a record is sent. */
  @Override
  public void onAcknowledgement(@Nullable RecordMetadata metadata, @Nullable Exception exception) {}

  /** Does nothing: the interceptor holds no resources. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "CorrelationProducerInterceptor{" + propagator.config() + '}';
  }
}
