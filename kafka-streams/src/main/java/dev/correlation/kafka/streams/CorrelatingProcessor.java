package dev.correlation.kafka.streams;

import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code process} in the flow of the record it processes, and hands the processor that record
 * with its headers saying so, so that whatever it derives from it carries the flow on, whoever
 * forwards it. Application processors also get a context that stamps what they forward and gives
 * punctuations their own flow; Kafka's own processors get Streams' context untouched, because they
 * cast it to an internal type.
 */
final class CorrelatingProcessor<KIn, VIn, KOut, VOut> implements Processor<KIn, VIn, KOut, VOut> {
  private final StreamsFlows flows;
  private final Processor<KIn, VIn, KOut, VOut> delegate;
  private @Nullable ProcessorContext<KOut, VOut> context;

  CorrelatingProcessor(StreamsFlows flows, Processor<KIn, VIn, KOut, VOut> delegate) {
    this.flows = flows;
    this.delegate = delegate;
  }

  @Override
  public void init(ProcessorContext<KOut, VOut> context) {
    this.context = context;
    delegate.init(StreamsFlows.isKafkas(delegate)
        ? context : new CorrelatingProcessorContext<>(context, flows));
  }

  @Override
  public void process(Record<KIn, VIn> record) {
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
    return "CorrelatingProcessor{" + delegate + '}';
  }

  /** Supplies the processors of one node, each wrapped; the node's stores are the delegate's. */
  static final class Supplier<KIn, VIn, KOut, VOut>
      implements WrappedProcessorSupplier<KIn, VIn, KOut, VOut> {
    final StreamsFlows flows;
    private final ProcessorSupplier<KIn, VIn, KOut, VOut> delegate;

    Supplier(StreamsFlows flows, ProcessorSupplier<KIn, VIn, KOut, VOut> delegate) {
      this.flows = flows;
      this.delegate = delegate;
    }

    @Override
    public Processor<KIn, VIn, KOut, VOut> get() {
      return new CorrelatingProcessor<>(flows, delegate.get());
    }

    @Override
    public @Nullable Set<StoreBuilder<?>> stores() {
      return delegate.stores();
    }

    @Override
    public String toString() {
      return "CorrelatingProcessor.Supplier{" + delegate + '}';
    }
  }
}
