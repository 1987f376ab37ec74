package dev.correlation;

import java.util.concurrent.Executor;

/** An executor whose tasks run in the context current at {@code execute}. */
final class CorrelatingExecutor implements Executor {
  private final Executor delegate;

  CorrelatingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(Correlation.wrap(command));
  }

  @Override
  public String toString() {
    return "CorrelatingExecutor{" + delegate + '}';
  }
}
