package dev.correlation.kafka.streams;

import dev.correlation.Correlation;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;

/**
 * Runs every processor of a Kafka Streams topology in the flow of the record it processes (see
 * {@link KafkaStreamsCorrelation} for what that means). Streams (4.0 and later, KIP-1112) creates it
 * from one property, which must reach the {@code StreamsBuilder} or {@code Topology}:
 *
 * <pre>{@code
 * props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, CorrelationProcessorWrapper.class);
 * StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
 * }</pre>
 *
 * <p>Configuration comes from the same properties: {@link KafkaStreamsCorrelation#fromMap} of the
 * {@code correlation.*} entries; with none, the process-wide {@link Correlation#config()} is
 * followed. An unknown {@code correlation.*} key or a bad value fails the construction of the
 * builder: Streams throws a {@code ConfigException} whose cause names the key.
 *
 * <p>Thread safe. Streams calls it while the topology is built, on the building thread.
 */
public final class CorrelationProcessorWrapper implements ProcessorWrapper {
  private volatile KafkaStreamsCorrelation correlation = KafkaStreamsCorrelation.create();

  /**
   * For Streams, which creates the wrapper from {@code processor.wrapper.class} and then calls
   * {@link #configure}. Until then, it follows the process-wide configuration.
   */
  public CorrelationProcessorWrapper() {}

  /**
   * Takes the {@code correlation.*} entries of the topology's properties; other entries are ignored.
   *
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key, a
   *     value that is not a string, or a value that is not allowed
   * @throws NullPointerException if {@code configs} is null
   */
  @Override
  public void configure(Map<String, ?> configs) {
    Objects.requireNonNull(configs, "configs == null");
    correlation = KafkaStreamsCorrelation.fromMap(configs);
  }

  /**
   * {@code processorSupplier} with each processor running in its record's flow.
   *
   * @throws NullPointerException if {@code processorSupplier} is null
   */
  @Override
  public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
      String processorName, ProcessorSupplier<KIn, VIn, KOut, VOut> processorSupplier) {
    return correlation.supplier(processorSupplier);
  }

  /**
   * {@code processorSupplier} with each processor running in its record's flow.
   *
   * @throws NullPointerException if {@code processorSupplier} is null
   */
  @Override
  public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut>
      wrapFixedKeyProcessorSupplier(String processorName,
          FixedKeyProcessorSupplier<KIn, VIn, VOut> processorSupplier) {
    return correlation.fixedKeySupplier(processorSupplier);
  }

  @Override
  public String toString() {
    return "CorrelationProcessorWrapper{" + correlation + '}';
  }
}
