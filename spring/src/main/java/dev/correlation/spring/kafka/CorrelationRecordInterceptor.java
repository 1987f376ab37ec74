package dev.correlation.spring.kafka;

import dev.correlation.Scope;
import dev.correlation.kafka.KafkaCorrelation;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Handles every record a Spring Kafka listener container delivers in the record's own flow: the
 * listener, the container's error handler and the {@code KafkaTemplate} sends made on the way all
 * see it, and log with its ID. The flow is read by {@link KafkaCorrelation#open(ConsumerRecord)}
 * (bad or missing headers: a fresh ID and a rate-limited WARN; never an exception).
 *
 * <p>The scope opens in {@link #intercept} and closes in {@link #afterRecord}, which the container
 * calls after the error handler on success and on failure; {@link #clearThreadState}, which it
 * calls after every poll, closes a scope that a path skipping {@code afterRecord} left open, and
 * so does the next {@code intercept}. Each scope is closed exactly once, on the consumer thread
 * that opened it.
 *
 * <p>Boot's listener container factory takes a {@code RecordInterceptor<Object, Object>} bean only
 * when it is the only one: with the application's own, the auto-configuration puts the two in a
 * {@code CompositeRecordInterceptor} on the factory, this one first. Not for batch listeners (the
 * container does not call record interceptors for them): those open each record with
 * {@link KafkaCorrelation#open(ConsumerRecord)}.
 *
 * <p>Thread safe: one instance serves every container thread.
 */
public final class CorrelationRecordInterceptor implements RecordInterceptor<Object, Object> {
  private final KafkaCorrelation kafka;
  /** The scope this thread's current record runs in; set only between intercept and afterRecord. */
  private final ThreadLocal<Scope> open = new ThreadLocal<>();

  private CorrelationRecordInterceptor(KafkaCorrelation kafka) {
    this.kafka = kafka;
  }

  /**
   * An interceptor reading records with {@code kafka}.
   *
   * @throws NullPointerException if {@code kafka} is null
   */
  public static CorrelationRecordInterceptor create(KafkaCorrelation kafka) {
    return new CorrelationRecordInterceptor(Objects.requireNonNull(kafka, "kafka == null"));
  }

  /** Opens the flow of {@code record} on this thread; returns the record unchanged. */
  @Override
  public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
      Consumer<Object, Object> consumer) {
    closeOpen();
    open.set(kafka.open(record));
    return record;
  }

  /** Closes the flow of the record just handled, after the listener and the error handler. */
  @Override
  public void afterRecord(ConsumerRecord<Object, Object> record,
      Consumer<Object, Object> consumer) {
    closeOpen();
  }

  /** Closes a flow still open at the end of a poll's work: the thread goes back clean. */
  @Override
  public void clearThreadState(Consumer<?, ?> consumer) {
    closeOpen();
  }

  private void closeOpen() {
    Scope scope = open.get();
    if (scope != null) {
      open.remove();
      scope.close();
    }
  }

  @Override
  public String toString() {
    return "CorrelationRecordInterceptor{" + kafka + '}';
  }
}
