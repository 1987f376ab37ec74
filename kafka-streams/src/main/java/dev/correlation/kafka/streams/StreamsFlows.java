package dev.correlation.kafka.streams;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import dev.correlation.kafka.KafkaCorrelation;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * What the wrapped processors and contexts share: which flow a record is processed in, and what a
 * record carries on. The wire rules stay in core and the Kafka header carrier in correlation-kafka;
 * this class only decides which flow applies where in a topology. Immutable, thread safe.
 */
final class StreamsFlows {
  private static final Scope NOTHING_OPENED = () -> {};

  private final CorrelationPropagator propagator;
  private final KafkaCorrelation kafka;
  private final boolean punctuationFlows;

  StreamsFlows(@Nullable CorrelationConfig config, boolean punctuationFlows) {
    this.propagator = config == null
        ? CorrelationPropagator.create() : CorrelationPropagator.create(config);
    this.kafka = config == null ? KafkaCorrelation.create() : KafkaCorrelation.create(config);
    this.punctuationFlows = punctuationFlows;
  }

  /**
   * The flow to process a record in. A processor runs inside the {@code process} call of the
   * processor that forwarded to it, so when the scope open on this thread is for the same input
   * record (same message ID, same flow in the headers) it is that record's flow: reading the headers
   * again would take the causation header we just rewrote for the record's own message ID. Anything
   * else (the first processor after a source, a record under another flow) is read from the headers,
   * with core's validation, fresh ID and WARN.
   */
  CorrelationContext flowOf(@Nullable ProcessingContext context, Headers headers) {
    String messageId = context == null ? null : messageId(context.recordMetadata());
    CorrelationContext current = Correlation.current().orElse(null);
    if (current != null && messageId != null && messageId.equals(current.messageId())
        && holds(headers, propagator.config().headerName(), current.correlationId())) {
      return current;
    }
    return kafka.context(headers, messageId);
  }

  /** Opens {@code flow} on this thread, unless it is already the current one. */
  Scope open(CorrelationContext flow) {
    return Correlation.current().orElse(null) == flow ? NOTHING_OPENED : propagator.open(flow);
  }

  /**
   * {@code record}, or a copy of it whose headers carry {@code flow} (null: this thread's flow).
   * Inside a flow, the record's copy of the input's headers is stale: our two headers are replaced
   * by the flow and its message ID (none when the flow has no message, as in a punctuation). Outside
   * any flow core's edge rule applies: a header the processor set is kept, else a new ID. A record
   * written for an explicit flow ({@link KafkaStreamsCorrelation#inject}) is left as it is.
   */
  <K, V> Record<K, V> stamped(Record<K, V> record, @Nullable CorrelationContext flow) {
    if (flow != null && carries(record.headers(), flow)) {
      return record;
    }
    // withHeaders copies: Streams hands one Record (and its Headers) to every child of a node, so
    // the headers we were given may be a sibling's too and are never written to.
    Record<K, V> copy = record.withHeaders(record.headers());
    kafka.injectHeaders(copy.headers(), flow);
    return copy;
  }

  /** Like {@link #stamped(Record, CorrelationContext)}, for fixed-key records. */
  <K, V> FixedKeyRecord<K, V> stamped(FixedKeyRecord<K, V> record,
      @Nullable CorrelationContext flow) {
    if (flow != null && carries(record.headers(), flow)) {
      return record;
    }
    FixedKeyRecord<K, V> copy = record.withHeaders(record.headers());
    kafka.injectHeaders(copy.headers(), flow);
    return copy;
  }

  /** The flow current on this thread, for records forwarded by processor code. */
  static @Nullable CorrelationContext current() {
    return Correlation.current().orElse(null);
  }

  /** {@code punctuator} running each punctuation in a new flow, if punctuation flows are on. */
  Punctuator punctuator(Punctuator punctuator) {
    if (!punctuationFlows || punctuator instanceof FlowPunctuator) {
      return punctuator;
    }
    return new FlowPunctuator(this, punctuator);
  }

  boolean punctuationFlows() {
    return punctuationFlows;
  }

  CorrelationConfig config() {
    return propagator.config();
  }

  /** The context of a record known only by its headers (no topic, partition or offset). */
  CorrelationContext context(Headers headers) {
    return kafka.context(headers, null);
  }

  /** A copy of {@code record} whose headers carry {@code flow}, marked as explicit. */
  <K, V> Record<K, V> injected(Record<K, V> record, CorrelationContext flow) {
    Record<K, V> copy = record.withHeaders(record.headers()); // a copy: see stamped
    kafka.inject(copy.headers(), flow);
    return copy;
  }

  /** Whether {@code headers} already say exactly {@code flow}, so a record can go on as it is. */
  private boolean carries(Headers headers, CorrelationContext flow) {
    CorrelationConfig cfg = propagator.config();
    if (!holds(headers, cfg.headerName(), flow.correlationId())) {
      return false;
    }
    String cause = flow.messageId();
    return cause == null
        ? headers.lastHeader(cfg.causationHeaderName()) == null
        : holds(headers, cfg.causationHeaderName(), cause);
  }

  private static boolean holds(Headers headers, String name, String value) {
    Header last = headers.lastHeader(name);
    byte[] bytes = last == null ? null : last.value();
    return bytes != null && value.equals(new String(bytes, UTF_8));
  }

  /**
   * The Kafka message ID {@code topic-partition@offset} of the record being processed, in the form
   * {@link KafkaCorrelation} gives consumer records; null in a punctuation, where Streams has no
   * topic and offset -1.
   */
  static @Nullable String messageId(Optional<RecordMetadata> metadata) {
    if (metadata.isEmpty()) {
      return null;
    }
    RecordMetadata record = metadata.get();
    String topic = record.topic();
    if (topic == null || record.offset() < 0) {
      return null;
    }
    return topic + '-' + record.partition() + '@' + record.offset();
  }

  /** Kafka's own processors cast the context they are given to an internal type. */
  static boolean isKafkas(Object processor) {
    return processor.getClass().getName().startsWith("org.apache.kafka.streams.");
  }

  @Override
  public String toString() {
    return "StreamsFlows{punctuationFlows=" + punctuationFlows + ", " + propagator.config() + '}';
  }

  /** Runs each punctuation in a flow of its own; records it forwards carry that flow. */
  private static final class FlowPunctuator implements Punctuator {
    private final StreamsFlows flows;
    private final Punctuator delegate;

    FlowPunctuator(StreamsFlows flows, Punctuator delegate) {
      this.flows = flows;
      this.delegate = delegate;
    }

    @Override
    public void punctuate(long timestamp) {
      // a new flow from core's guarded generator (a broken one gives a random UUID and a WARN)
      Scope scope = flows.propagator.open(flows.propagator.edgeContext(null));
      try {
        delegate.punctuate(timestamp);
      } finally {
        scope.close();
      }
    }

    @Override
    public String toString() {
      return "FlowPunctuator{" + delegate + '}';
    }
  }
}
