package dev.correlation.kafka.streams;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.jspecify.annotations.Nullable;

/**
 * Correlation for Kafka Streams: every processor runs in the flow of the record it processes, and
 * the records it forwards, to other processors and to sink topics, carry that flow. The usual way in
 * is one property, which makes Streams wrap every processor of the topology:
 *
 * <pre>{@code
 * props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, CorrelationProcessorWrapper.class);
 * StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
 * }</pre>
 *
 * <p>This class is for the rest: options, and wrapping single processors where the property cannot
 * be set ({@link #wrap}, {@link #wrapFixedKey}):
 *
 * <pre>{@code
 * KafkaStreamsCorrelation streams = KafkaStreamsCorrelation.create();
 * topology.addProcessor("enrich", streams.wrap(Enricher::new), "orders");
 * }</pre>
 *
 * <p>A wrapped processor's {@code process} runs in the record's flow: the correlation ID from its
 * {@code X-Correlation-ID} header (a fresh one, with a rate-limited WARN, when the header is missing
 * or bad), its own message ID {@code topic-partition@offset}, and the causation ID from its
 * {@code X-Causation-ID} header. The thread's previous context and MDC values are back when
 * {@code process} returns or throws; what the processor throws passes through unchanged. Records it
 * forwards carry the flow and, as {@code X-Causation-ID}, the message ID of the record being
 * processed. Punctuators scheduled by an application's processor run each punctuation in a new flow
 * (unless turned off), and what they forward carries it. Header content never makes a wrapped
 * processor throw.
 *
 * <p>For code that handles records itself, the entry has the shape of the other modules':
 * {@link #context(Record)} and {@link #open(Record)} read a record's flow, and
 * {@link #inject(Record, CorrelationContext)} writes a given flow into a record to forward. There
 * is no {@code forEach}: Streams hands a processor one record at a time, never a batch.
 *
 * <p>Instances are immutable and thread safe; one per application is enough.
 */
public final class KafkaStreamsCorrelation {
  /**
   * The key that turns punctuation flows on or off in {@link #fromMap} (and in the Streams
   * properties read by {@link CorrelationProcessorWrapper}): {@code "true"} (the default) or
   * {@code "false"}.
   */
  public static final String PUNCTUATION_FLOWS = "correlation.streams.punctuation.flows";

  private final @Nullable CorrelationConfig config;
  private final boolean punctuationFlows;
  final StreamsFlows flows;

  private KafkaStreamsCorrelation(Builder builder) {
    this.config = builder.config;
    this.punctuationFlows = builder.punctuationFlows;
    this.flows = new StreamsFlows(config, punctuationFlows);
  }

  /** Streams correlation that follows the process-wide {@link Correlation#config()}. */
  public static KafkaStreamsCorrelation create() {
    return builder().build();
  }

  /**
   * Streams correlation with its own configuration (header names, validator, MDC keys...).
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static KafkaStreamsCorrelation create(CorrelationConfig config) {
    return builder().config(config).build();
  }

  /** A builder with the defaults: process-wide configuration, punctuation flows on. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.config = config;
    builder.punctuationFlows = punctuationFlows;
    return builder;
  }

  /**
   * Streams correlation from string settings, such as the Streams properties: {@link
   * #PUNCTUATION_FLOWS}, and the {@code correlation.*} keys of {@link CorrelationConfig#fromMap}.
   * Other keys are ignored. With no {@code correlation.*} key besides {@link #PUNCTUATION_FLOWS}, the
   * process-wide configuration is followed, as it changes.
   *
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key, a
   *     value that is not a string, or a value that is not allowed
   * @throws NullPointerException if {@code map} is null
   */
  public static KafkaStreamsCorrelation fromMap(Map<String, ?> map) {
    Objects.requireNonNull(map, "map == null");
    // core parses the shared keys and this module's flag alike (reading them with get(), which
    // Kafka's config maps count as a use)
    Builder builder = builder()
        .punctuationFlows(CorrelationConfig.flag(map, PUNCTUATION_FLOWS, true));
    for (String key : map.keySet()) {
      if (key != null && key.startsWith(CorrelationConfig.PREFIX)
          && !key.equals(PUNCTUATION_FLOWS)) {
        builder.config(CorrelationConfig.fromMap(map, Set.of(PUNCTUATION_FLOWS)));
        break; // any shared key: a configuration of its own; none: the process-wide one
      }
    }
    return builder.build();
  }

  /**
   * The context of {@code record} read from its headers: its flow's correlation ID (a fresh one,
   * with a rate-limited WARN, when the header is missing or bad) and the message ID of the record
   * that caused it, if it names one. A {@code Record} does not know its topic, partition and
   * offset, so the context has no message ID of its own, and what is sent in it names no cause;
   * inside a wrapped processor the current context ({@code Correlation.current()}) is the record's
   * own, with its message ID. For processors that are not wrapped:
   * {@code Correlation.runWith(streams.context(record), () -> ...)}. Never throws because of
   * header content.
   *
   * @throws NullPointerException if {@code record} is null
   */
  public CorrelationContext context(Record<?, ?> record) {
    Objects.requireNonNull(record, "record == null");
    return flows.context(record.headers());
  }

  /**
   * Opens the {@link #context(Record) context} of {@code record} on this thread and writes it to
   * the MDC, until the returned scope is closed; for processors that are not wrapped, such as code
   * throwing checked exceptions.
   *
   * @throws NullPointerException if {@code record} is null
   */
  public Scope open(Record<?, ?> record) {
    return flows.open(context(record));
  }

  /**
   * A copy of {@code record} whose headers carry {@code flow}, for a record forwarded on behalf of
   * a flow that is not current here (a punctuator emitting results it buffered for many flows, a
   * processor answering for a flow kept in a store): the correlation header becomes the flow's ID
   * and, when the flow is handling a message, the causation header that message's ID, each
   * replacing any copy. Wrapped processors forward it as it is, whatever flow is current when it
   * is forwarded, and so does {@code CorrelationProducerInterceptor} on the application's
   * producer, on the way to the sink topic. Key,
   * value, timestamp and other headers are kept; {@code record} itself is not changed (Streams may
   * share its headers with other processors).
   *
   * <pre>{@code
   * CorrelationContext flow = store.get(orderId);                   // kept when the order came in
   * context.forward(streams.inject(new Record<>(orderId, "expired", timestamp), flow));
   * }</pre>
   *
   * @throws NullPointerException if {@code record} or {@code flow} is null
   */
  public <K, V> Record<K, V> inject(Record<K, V> record, CorrelationContext flow) {
    Objects.requireNonNull(record, "record == null");
    Objects.requireNonNull(flow, "flow == null");
    return flows.injected(record, flow);
  }

  /**
   * {@code supplier} with each processor it supplies running in the flow of the record it processes,
   * as described above; the stores it connects are unchanged. For topologies built without the
   * {@code processor.wrapper.class} property ({@code Topology.addProcessor},
   * {@code KStream.process}). Wrapping a supplier returned by this instance returns it unchanged.
   * Thread safe, as {@code supplier} is.
   *
   * @throws NullPointerException if {@code supplier} is null
   */
  public <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> wrap(
      ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
    return supplier(supplier);
  }

  /**
   * Like {@link #wrap}, for fixed-key processors ({@code KStream.processValues}).
   *
   * @throws NullPointerException if {@code supplier} is null
   */
  public <KIn, VIn, VOut> FixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKey(
      FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
    return fixedKeySupplier(supplier);
  }

  <KIn, VIn, KOut, VOut> CorrelatingProcessor.Supplier<KIn, VIn, KOut, VOut> supplier(
      ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
    Objects.requireNonNull(supplier, "supplier == null");
    if (supplier instanceof CorrelatingProcessor.Supplier
        && ((CorrelatingProcessor.Supplier<?, ?, ?, ?>) supplier).flows == flows) {
      return (CorrelatingProcessor.Supplier<KIn, VIn, KOut, VOut>) supplier;
    }
    return new CorrelatingProcessor.Supplier<>(flows, supplier);
  }

  <KIn, VIn, VOut> CorrelatingFixedKeyProcessor.Supplier<KIn, VIn, VOut> fixedKeySupplier(
      FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
    Objects.requireNonNull(supplier, "supplier == null");
    if (supplier instanceof CorrelatingFixedKeyProcessor.Supplier
        && ((CorrelatingFixedKeyProcessor.Supplier<?, ?, ?>) supplier).flows == flows) {
      return (CorrelatingFixedKeyProcessor.Supplier<KIn, VIn, VOut>) supplier;
    }
    return new CorrelatingFixedKeyProcessor.Supplier<>(flows, supplier);
  }

  @Override
  public String toString() {
    return "KafkaStreamsCorrelation{" + flows + '}';
  }

  /** Settings of a {@link KafkaStreamsCorrelation}. Not thread safe; build once. */
  public static final class Builder {
    private @Nullable CorrelationConfig config;
    private boolean punctuationFlows = true;

    private Builder() {}

    /**
     * Its own configuration instead of the process-wide one.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public Builder config(CorrelationConfig config) {
      this.config = Objects.requireNonNull(config, "config == null");
      return this;
    }

    /**
     * Whether each punctuation of an application's processor runs in a new flow (the default),
     * which the records it forwards carry. Off, punctuations run outside any flow, as Streams runs
     * them, and a record they forward keeps a correlation header the punctuator set, or gets a new
     * ID of its own.
     */
    public Builder punctuationFlows(boolean on) {
      this.punctuationFlows = on;
      return this;
    }

    /** The instance. */
    public KafkaStreamsCorrelation build() {
      return new KafkaStreamsCorrelation(this);
    }
  }
}
