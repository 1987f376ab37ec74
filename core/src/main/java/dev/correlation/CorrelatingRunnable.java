package dev.correlation;

import org.jspecify.annotations.Nullable;

/** Runs a task in the context captured when it was wrapped. */
final class CorrelatingRunnable implements Runnable {
  private final @Nullable Frame captured;
  private final Runnable delegate;

  CorrelatingRunnable(@Nullable Frame captured, Runnable delegate) {
    this.captured = captured;
    this.delegate = delegate;
  }

  @Override
  public void run() {
    Scope scope = Frame.reopen(captured);
    try {
      delegate.run();
    } finally {
      scope.close();
    }
  }

  @Override
  public String toString() {
    return "CorrelatingRunnable{" + delegate + '}';
  }
}
