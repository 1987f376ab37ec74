package dev.correlation.kafka.streams;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The delegation of a {@link ProcessingContext}; the one thing it changes is {@link #schedule}:
 * punctuators run in a flow of their own. The subclasses add {@code forward}.
 */
abstract class ForwardingProcessingContext implements ProcessingContext {
  final ProcessingContext delegate;
  final StreamsFlows flows;

  ForwardingProcessingContext(ProcessingContext delegate, StreamsFlows flows) {
    this.delegate = delegate;
    this.flows = flows;
  }

  @Override
  public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
    return delegate.schedule(interval, type, flows.punctuator(callback));
  }

  @Override
  public String applicationId() {
    return delegate.applicationId();
  }

  @Override
  public TaskId taskId() {
    return delegate.taskId();
  }

  @Override
  public Optional<RecordMetadata> recordMetadata() {
    return delegate.recordMetadata();
  }

  @Override
  public Serde<?> keySerde() {
    return delegate.keySerde();
  }

  @Override
  public Serde<?> valueSerde() {
    return delegate.valueSerde();
  }

  @Override
  public File stateDir() {
    return delegate.stateDir();
  }

  @Override
  public StreamsMetrics metrics() {
    return delegate.metrics();
  }

  @Override
  public <S extends StateStore> S getStateStore(String name) {
    return delegate.getStateStore(name);
  }

  @Override
  public void commit() {
    delegate.commit();
  }

  @Override
  public Map<String, Object> appConfigs() {
    return delegate.appConfigs();
  }

  @Override
  public Map<String, Object> appConfigsWithPrefix(String prefix) {
    return delegate.appConfigsWithPrefix(prefix);
  }

  @Override
  public long currentSystemTimeMs() {
    return delegate.currentSystemTimeMs();
  }

  @Override
  public long currentStreamTimeMs() {
    return delegate.currentStreamTimeMs();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + '{' + delegate + '}';
  }
}
