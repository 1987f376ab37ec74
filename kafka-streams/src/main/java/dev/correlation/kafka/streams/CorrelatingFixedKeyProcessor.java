package dev.correlation.kafka.streams;

import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.jspecify.annotations.Nullable;

/** {@link CorrelatingProcessor} for fixed-key processors ({@code mapValues}, {@code processValues}). */
final class CorrelatingFixedKeyProcessor<KIn, VIn, VOut>
    implements FixedKeyProcessor<KIn, VIn, VOut> {
  private final StreamsFlows flows;
  private final FixedKeyProcessor<KIn, VIn, VOut> delegate;
  private @Nullable FixedKeyProcessorContext<KIn, VOut> context;

  CorrelatingFixedKeyProcessor(StreamsFlows flows, FixedKeyProcessor<KIn, VIn, VOut> delegate) {
    this.flows = flows;
    this.delegate = delegate;
  }

  @Override
  public void init(FixedKeyProcessorContext<KIn, VOut> context) {
    this.context = context;
    delegate.init(StreamsFlows.isKafkas(delegate)
        ? context : new CorrelatingFixedKeyProcessorContext<>(context, flows));
  }

  @Override
  public void process(FixedKeyRecord<KIn, VIn> record) {
    CorrelationContext flow = flows.flowOf(context, record.headers());
    Scope scope = flows.open(flow);
    try {
      delegate.process(flows.stamped(record, flow));
    } finally {
      scope.close();
    }
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "CorrelatingFixedKeyProcessor{" + delegate + '}';
  }

  /** Supplies the processors of one node, each wrapped; the node's stores are the delegate's. */
  static final class Supplier<KIn, VIn, VOut>
      implements WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> {
    final StreamsFlows flows;
    private final FixedKeyProcessorSupplier<KIn, VIn, VOut> delegate;

    Supplier(StreamsFlows flows, FixedKeyProcessorSupplier<KIn, VIn, VOut> delegate) {
      this.flows = flows;
      this.delegate = delegate;
    }

    @Override
    public FixedKeyProcessor<KIn, VIn, VOut> get() {
      return new CorrelatingFixedKeyProcessor<>(flows, delegate.get());
    }

    @Override
    public @Nullable Set<StoreBuilder<?>> stores() {
      return delegate.stores();
    }

    @Override
    public String toString() {
      return "CorrelatingFixedKeyProcessor.Supplier{" + delegate + '}';
    }
  }
}
