package dev.correlation.kafka.streams;

import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** {@link CorrelatingProcessorContext} for fixed-key processors. */
final class CorrelatingFixedKeyProcessorContext<KForward, VForward>
    extends ForwardingProcessingContext implements FixedKeyProcessorContext<KForward, VForward> {
  private final FixedKeyProcessorContext<KForward, VForward> forwarder;

  CorrelatingFixedKeyProcessorContext(FixedKeyProcessorContext<KForward, VForward> delegate,
      StreamsFlows flows) {
    super(delegate, flows);
    this.forwarder = delegate;
  }

  @Override
  public <K extends KForward, V extends VForward> void forward(FixedKeyRecord<K, V> record) {
    forwarder.forward(flows.stamped(record, StreamsFlows.current()));
  }

  @Override
  public <K extends KForward, V extends VForward> void forward(FixedKeyRecord<K, V> record,
      String childName) {
    forwarder.forward(flows.stamped(record, StreamsFlows.current()), childName);
  }
}
