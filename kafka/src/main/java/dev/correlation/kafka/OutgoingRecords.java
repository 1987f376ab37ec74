package dev.correlation.kafka;

import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Writes headers into a record about to be sent, for the interceptor and the explicit
 * {@link KafkaCorrelation#inject}: in place when its headers are writable, into a copy when they
 * are read-only (KafkaProducer makes a sent record's headers read-only, so a record sent again, or
 * kept as a template, needs a copy), and not at all, with core's rate-limited WARN, when even that
 * fails. Never throws: a send never fails because of us.
 */
final class OutgoingRecords {
  private OutgoingRecords() {}

  /**
   * @param flow the flow to write explicitly, or null for the send rules with this thread's flow
   */
  static <K, V> ProducerRecord<K, V> write(ProducerRecord<K, V> record,
      CorrelationPropagator propagator, @Nullable CorrelationContext flow) {
    try {
      write(record.headers(), propagator, flow);
      return record;
    } catch (IllegalStateException readOnly) {
      try {
        ProducerRecord<K, V> copy = new ProducerRecord<>(record.topic(), record.partition(),
            record.timestamp(), record.key(), record.value(), record.headers());
        write(copy.headers(), propagator, flow);
        return copy;
      } catch (RuntimeException e) {
        return unwritten(record, e, propagator);
      }
    } catch (RuntimeException e) {
      return unwritten(record, e, propagator);
    }
  }

  private static void write(Headers headers, CorrelationPropagator propagator,
      @Nullable CorrelationContext flow) {
    if (flow == null) {
      propagator.inject(headers, KafkaHeaders.GETTER, KafkaHeaders.SETTER);
    } else {
      propagator.injectFlow(headers, KafkaHeaders.GETTER, KafkaHeaders.EXPLICIT, flow);
    }
  }

  private static <K, V> ProducerRecord<K, V> unwritten(ProducerRecord<K, V> record,
      RuntimeException e, CorrelationPropagator propagator) {
    // core escapes whatever in the description is not printable ASCII
    propagator.reportUnwritable("a record for topic " + record.topic(), e);
    return record;
  }
}
