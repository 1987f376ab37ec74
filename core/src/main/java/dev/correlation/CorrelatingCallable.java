package dev.correlation;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/** Calls a task in the context captured when it was wrapped. */
final class CorrelatingCallable<T> implements Callable<T> {
  private final @Nullable Frame captured;
  private final Callable<T> delegate;

  CorrelatingCallable(@Nullable Frame captured, Callable<T> delegate) {
    this.captured = captured;
    this.delegate = delegate;
  }

  @Override
  public T call() throws Exception {
    Scope scope = Frame.reopen(captured);
    try {
      return delegate.call();
    } finally {
      scope.close();
    }
  }

  @Override
  public String toString() {
    return "CorrelatingCallable{" + delegate + '}';
  }
}
