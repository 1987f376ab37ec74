package dev.correlation.kafka.streams;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's Kafka Streams snippets, as they are there, so that the build compiles them against
 * the current API; the it module's ReadmeExamplesTest checks that the README still says the same.
 * Not run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);

  void oneProperty(Properties props) {
    props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, CorrelationProcessorWrapper.class);

    // Streams applies a processor wrapper only when the builder (or Topology) is given the properties:
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.stream("orders")
        .mapValues(order -> { log.info("pricing {}", order); return price(order); })
        .to("priced");
    new KafkaStreams(builder.build(), props).start();
  }

  void withoutTheProperty(Topology topology, KStream<String, String> stream) {
    KafkaStreamsCorrelation correlation = KafkaStreamsCorrelation.create();  // or create(config), builder()
    topology.addProcessor("audit", correlation.wrap(Audit::new), "orders");
    stream.processValues(correlation.wrapFixedKey(Enrich::new));
  }

  /** A processor that is not wrapped, and one that answers later for the records it saw. */
  static final class ByHand extends ContextualProcessor<String, String, String, String> {
    private final Map<String, CorrelationContext> pending = new HashMap<>();

    void byHand(Record<String, String> record, ProcessorContext<String, String> context,
        String key, long timestamp) {
      KafkaStreamsCorrelation streams = KafkaStreamsCorrelation.create();

      // a processor that is not wrapped: the record's flow, read from its headers
      try (Scope scope = streams.open(record)) {
        log.info("auditing {}", record.key());                    // MDC: correlation_id, causation_id
      }

      // in process(): keep the flow of the record being processed (wrapped: it has its message ID)
      pending.put(record.key(), Correlation.current().orElseThrow());
      // later, in a punctuation (a flow of its own): forward in the flow of the record it answers
      context.forward(streams.inject(new Record<>(key, "expired", timestamp), pending.remove(key)));
    }

    @Override
    public void process(Record<String, String> record) {}
  }

  static final class Audit extends ContextualProcessor<String, String, String, String> {
    @Override
    public void process(Record<String, String> record) {}
  }

  static final class Enrich extends ContextualFixedKeyProcessor<String, String, String> {
    @Override
    public void process(FixedKeyRecord<String, String> record) {}
  }

  private static Object price(Object order) {
    return order;
  }
}
