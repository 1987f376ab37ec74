package dev.correlation.kafka;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.ErrorHook;
import dev.correlation.Scope;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The consumer side of Kafka correlation: the context of a received record, and the scope it is
 * handled in; and sends for a flow that is not current on the sending thread. The producer side is
 * otherwise {@link CorrelationProducerInterceptor}, configured through {@code interceptor.classes}.
 *
 * <pre>{@code
 * KafkaCorrelation kafka = KafkaCorrelation.create();
 *
 * // one record at a time
 * Consumer<ConsumerRecord<String, String>> handler = kafka.wrap(record -> process(record));
 * for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
 *   handler.accept(record);
 * }
 *
 * // or a whole poll, each record in its own scope
 * kafka.forEach(consumer.poll(timeout), record -> process(record));
 * }</pre>
 *
 * <p>The context of a record has the correlation ID from its {@code X-Correlation-ID} header, its
 * own message ID {@code topic-partition@offset}, and the causation ID from its
 * {@code X-Causation-ID} header (header names as configured). A header that is missing, empty, too
 * long, not UTF-8, present twice with different values, or rejected by the validator is replaced
 * by a fresh ID, with a rate-limited WARN; header content never makes these methods throw.
 *
 * <p>When a handler throws, the {@linkplain Builder#errorHook error hook} runs inside the failing
 * record's scope, so its log line carries the flow; then the exception passes on unchanged.
 *
 * <p>Instances are immutable and thread safe; one per application is enough.
 */
public final class KafkaCorrelation {
  private final @Nullable CorrelationConfig config;
  private final CorrelationPropagator propagator;
  private final @Nullable ErrorHook<? super ConsumerRecord<?, ?>> errorHook;

  private KafkaCorrelation(Builder builder) {
    config = builder.config;
    CorrelationConfig own = config;
    propagator = own == null ? CorrelationPropagator.create() : CorrelationPropagator.create(own);
    errorHook = builder.errorHook;
  }

  /**
   * An instance that follows the process-wide configuration, {@link Correlation#config()}, as it
   * changes; no error hook.
   */
  public static KafkaCorrelation create() {
    return builder().build();
  }

  /**
   * An instance with its own configuration; no error hook.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static KafkaCorrelation create(CorrelationConfig config) {
    return builder().config(config).build();
  }

  /**
   * An instance from string settings: every {@code correlation.*} key of
   * {@link CorrelationConfig#fromMap(Map)} (this module has no keys of its own); other keys, such
   * as a consumer's {@code bootstrap.servers}, are ignored. No error hook.
   *
   * @throws NullPointerException if {@code map} is null
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key or a
   *     value that is not an allowed string
   */
  public static KafkaCorrelation fromMap(Map<String, ?> map) {
    Objects.requireNonNull(map, "map == null");
    return builder().config(CorrelationConfig.fromMap(map)).build();
  }

  /** A builder: the process-wide configuration and no error hook, until told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this instance's settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.config = config;
    builder.errorHook = errorHook;
    return builder;
  }

  /**
   * Writes {@code flow} into {@code record}, for a send on behalf of a flow that is not current on
   * this thread (a producer callback, a sender thread, a relay that forwards for many flows): the
   * correlation header becomes the flow's ID and, when the flow is handling a message, the
   * causation header that message's ID. The producer interceptor leaves a record written this way
   * alone. A record whose headers are read-only (sent before) is copied, as the interceptor does.
   * Never throws because of the record; if its headers cannot be written, the record is returned
   * as it is, with a rate-limited WARN.
   *
   * <pre>{@code
   * CorrelationContext flow = kafka.context(received);          // or Correlation.current()...
   * relayThread.execute(() -> producer.send(kafka.inject(new ProducerRecord<>("out", value), flow)));
   * }</pre>
   *
   * @return the record to send: {@code record} itself, or a copy of it with the headers
   * @throws NullPointerException if {@code record} or {@code flow} is null
   */
  public <K, V> ProducerRecord<K, V> inject(ProducerRecord<K, V> record, CorrelationContext flow) {
    Objects.requireNonNull(record, "record == null");
    Objects.requireNonNull(flow, "flow == null");
    return OutgoingRecords.write(record, propagator, flow);
  }

  /**
   * The context to handle {@code record} in: its flow's correlation ID (a fresh one when its header
   * is missing or bad), its message ID {@code topic-partition@offset}, and the message ID of the
   * record that caused it, if it names one. Use it with
   * {@code Correlation.runWith(kafka.context(record), ...)}, which writes
   * the MDC keys of this instance's configuration, as {@link #open} and the wrappers do.
   *
   * @throws NullPointerException if {@code record} is null
   */
  public CorrelationContext context(ConsumerRecord<?, ?> record) {
    Objects.requireNonNull(record, "record == null");
    return propagator.extract(record.headers(), KafkaHeaders.GETTER, messageId(record));
  }

  /**
   * The context of a record that is not a {@link ConsumerRecord}, known by its headers and its
   * message ID: for frameworks that hand records to application code in a type of their own (Kafka
   * Streams' {@code Record}). Same rules as {@link #context(ConsumerRecord)}.
   *
   * @param messageId the record's {@code topic-partition@offset}, or null if it has none
   * @throws NullPointerException if {@code headers} is null
   */
  public CorrelationContext context(Headers headers, @Nullable String messageId) {
    Objects.requireNonNull(headers, "headers == null");
    return propagator.extract(headers, KafkaHeaders.GETTER, messageId);
  }

  /**
   * Writes {@code flow} into {@code headers} with the send rules, as if {@code flow} were this
   * thread's (inside a flow its ID replaces any correlation header; outside, a valid one is kept):
   * for frameworks that build outgoing records in a type of their own and copy the incoming
   * record's headers onto them (Kafka Streams' {@code Record}). Inside a flow the causation header
   * is the flow's message ID, or removed when the flow handles no message, so that a copied header
   * never names a stale cause. Headers written by {@link #inject(Headers, CorrelationContext)} are
   * left alone. What it writes replaces any copy of that header, never duplicates it; other headers
   * are left alone.
   *
   * @param flow the flow the record belongs to, or null outside any flow (the edge rule applies)
   * @throws NullPointerException if {@code headers} is null
   * @throws IllegalStateException if {@code headers} is read-only (a record already sent)
   */
  public void injectHeaders(Headers headers, @Nullable CorrelationContext flow) {
    Objects.requireNonNull(headers, "headers == null");
    if (flow != null && flow.messageId() == null) {
      CorrelationConfig cfg = propagator.config();
      if (!KafkaHeaders.GETTER.isExplicit(headers, cfg.headerName())) {
        headers.remove(cfg.causationHeaderName());
      }
    }
    propagator.inject(headers, KafkaHeaders.GETTER, KafkaHeaders.SETTER, flow);
  }

  /**
   * Writes {@code flow} into {@code headers} as {@link #inject(ProducerRecord, CorrelationContext)}
   * does into a record's: for frameworks that build outgoing records in a type of their own (Kafka
   * Streams' {@code Record}). The correlation header becomes the flow's ID and, when the flow is
   * handling a message, the causation header that message's ID, each replacing any copy; the
   * producer interceptor and {@link #injectHeaders} leave headers written this way alone.
   *
   * @throws NullPointerException if {@code headers} or {@code flow} is null
   * @throws IllegalStateException if {@code headers} is read-only (a record already sent)
   */
  public void inject(Headers headers, CorrelationContext flow) {
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(flow, "flow == null");
    propagator.injectFlow(headers, KafkaHeaders.GETTER, KafkaHeaders.EXPLICIT, flow);
  }

  /**
   * Opens the {@link #context(ConsumerRecord) context} of {@code record} on this thread and writes
   * it to the MDC, until the returned scope is closed. For handlers that do not fit
   * {@link #wrap}, such as ones throwing checked exceptions:
   *
   * <pre>{@code
   * Scope scope = kafka.open(record);
   * try {
   *   process(record);
   * } finally {
   *   scope.close();
   * }
   * }</pre>
   *
   * @throws NullPointerException if {@code record} is null
   */
  public Scope open(ConsumerRecord<?, ?> record) {
    return propagator.open(context(record));
  }

  /**
   * A record handler that runs {@code handler} in the record's {@link #context(ConsumerRecord)
   * context}. The thread's previous context and MDC values are restored when it returns or throws;
   * if it throws, the error hook runs first, inside the record's scope, and the exception passes
   * through unchanged. A handler already wrapped by this instance is returned as it is. The
   * returned handler is as thread safe as {@code handler}.
   *
   * @throws NullPointerException if {@code handler} is null
   */
  public <K, V> Consumer<ConsumerRecord<K, V>> wrap(
      Consumer<? super ConsumerRecord<K, V>> handler) {
    Objects.requireNonNull(handler, "handler == null");
    Object given = handler;
    if (given instanceof CorrelatingRecordHandler
        && ((CorrelatingRecordHandler<?, ?>) given).owner == this) {
      @SuppressWarnings("unchecked") // it accepts any record, so it accepts these
      Consumer<ConsumerRecord<K, V>> same = (Consumer<ConsumerRecord<K, V>>) handler;
      return same;
    }
    return new CorrelatingRecordHandler<>(this, handler);
  }

  /**
   * Runs {@code handler} over every record of one poll, in poll order, each record in its own
   * {@link #context(ConsumerRecord) context}: no record is handled in the flow of another. Like a
   * plain {@code for} loop, it stops at the first exception {@code handler} throws, which passes
   * through unchanged after the error hook ran and the record's scope is closed; the remaining
   * records are not handled, although the consumer's position is already past them: seek back
   * (the README shows how) or close the consumer.
   *
   * @throws NullPointerException if {@code records} or {@code handler} is null
   */
  public <K, V> void forEach(ConsumerRecords<K, V> records,
      Consumer<? super ConsumerRecord<K, V>> handler) {
    Objects.requireNonNull(records, "records == null");
    Objects.requireNonNull(handler, "handler == null");
    CorrelationPropagator.Handler<ConsumerRecord<K, V>, RuntimeException> each = handler::accept;
    for (ConsumerRecord<K, V> record : records) {
      handle(record, each);
    }
  }

  private <K, V> void handle(ConsumerRecord<K, V> record,
      CorrelationPropagator.Handler<ConsumerRecord<K, V>, RuntimeException> handler) {
    propagator.handle(record, context(record), handler, errorHook);
  }

  /** The Kafka message ID: where the record sits in the log, {@code topic-partition@offset}. */
  static String messageId(ConsumerRecord<?, ?> record) {
    return record.topic() + '-' + record.partition() + '@' + record.offset();
  }

  @Override
  public String toString() {
    return "KafkaCorrelation{" + propagator.config() + '}';
  }

  /** Builds a {@link KafkaCorrelation}. Not thread safe; the result is. */
  public static final class Builder {
    private @Nullable CorrelationConfig config;
    private @Nullable ErrorHook<? super ConsumerRecord<?, ?>> errorHook;

    private Builder() {}

    /**
     * Its own configuration, instead of following the process-wide one.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public Builder config(CorrelationConfig config) {
      this.config = Objects.requireNonNull(config, "config == null");
      return this;
    }

    /**
     * Runs when a wrapped handler (or {@link KafkaCorrelation#forEach}) throws, inside the failing
     * record's scope, before the exception passes on unchanged. None by default.
     *
     * @throws NullPointerException if {@code errorHook} is null
     */
    public Builder errorHook(ErrorHook<? super ConsumerRecord<?, ?>> errorHook) {
      this.errorHook = Objects.requireNonNull(errorHook, "errorHook == null");
      return this;
    }

    /** The instance. */
    public KafkaCorrelation build() {
      return new KafkaCorrelation(this);
    }
  }

  private static final class CorrelatingRecordHandler<K, V>
      implements Consumer<ConsumerRecord<K, V>> {
    final KafkaCorrelation owner;
    private final Consumer<? super ConsumerRecord<K, V>> delegate;
    // adapted once, not per record
    private final CorrelationPropagator.Handler<ConsumerRecord<K, V>, RuntimeException> handler;

    CorrelatingRecordHandler(KafkaCorrelation owner,
        Consumer<? super ConsumerRecord<K, V>> delegate) {
      this.owner = owner;
      this.delegate = delegate;
      this.handler = delegate::accept;
    }

    @Override
    public void accept(ConsumerRecord<K, V> record) {
      owner.handle(record, handler);
    }

    @Override
    public String toString() {
      return "CorrelatingRecordHandler{" + delegate + '}';
    }
  }
}
