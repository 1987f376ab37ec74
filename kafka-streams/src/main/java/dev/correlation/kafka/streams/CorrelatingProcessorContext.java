package dev.correlation.kafka.streams;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The context an application's processor is given: records it forwards carry the flow current when
 * it forwards (the record's being processed, a punctuation's, or one the processor opened itself).
 */
final class CorrelatingProcessorContext<KForward, VForward> extends ForwardingProcessingContext
    implements ProcessorContext<KForward, VForward> {
  private final ProcessorContext<KForward, VForward> forwarder;

  CorrelatingProcessorContext(ProcessorContext<KForward, VForward> delegate, StreamsFlows flows) {
    super(delegate, flows);
    this.forwarder = delegate;
  }

  @Override
  public <K extends KForward, V extends VForward> void forward(Record<K, V> record) {
    forwarder.forward(flows.stamped(record, StreamsFlows.current()));
  }

  @Override
  public <K extends KForward, V extends VForward> void forward(Record<K, V> record,
      String childName) {
    forwarder.forward(flows.stamped(record, StreamsFlows.current()), childName);
  }
}
