package dev.correlation.contextpropagation;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link CorrelationContext} as a Micrometer context-propagation
 * {@link ThreadLocalAccessor}, under the key {@value #KEY}. Registered through
 * {@code ServiceLoader}, so {@code ContextRegistry.getInstance()} finds it as soon as this jar is
 * on the class path: Reactor's automatic context propagation
 * ({@code Hooks.enableAutomaticContextPropagation()}) and Spring's
 * {@code ContextPropagatingTaskDecorator} then carry our flow across threads.
 *
 * <p>Setting a value opens a core {@link Scope}: the context becomes current and our MDC keys
 * (only those; never the whole MDC map) are written. Restoring closes that scope, which puts back
 * the previous context and the previous values of our keys. {@link #setValue()} opens a scope
 * with no flow, hiding the thread's own until restored. Each thread keeps a stack of the scopes
 * this accessor opened, so nested snapshot scopes unwind in order.
 *
 * <p>Needs context-propagation 1.1 or later (the {@code setValue()} / {@code restore()} contract;
 * tested with 1.2.1). Thread safe: all state is per thread. A restore with no matching set on the thread is
 * ignored (logged at DEBUG); it never throws into the caller.
 */
public final class CorrelationThreadLocalAccessor implements ThreadLocalAccessor<CorrelationContext> {
  /** The key under which context-propagation snapshots and Reactor contexts hold our flow. */
  public static final String KEY = "dev.correlation";

  private static final Logger LOG = LoggerFactory.getLogger(CorrelationThreadLocalAccessor.class);
  private static final ThreadLocal<ArrayDeque<Scope>> OPENED =
      ThreadLocal.withInitial(ArrayDeque::new);

  /** For {@code ServiceLoader}; every instance shares the same per-thread state. */
  public CorrelationThreadLocalAccessor() {}

  /** {@value #KEY}. */
  @Override
  public Object key() {
    return KEY;
  }

  /** The flow current on this thread, or null outside any flow. */
  @Override
  public @Nullable CorrelationContext getValue() {
    return Correlation.current().orElse(null);
  }

  /**
   * Makes {@code value} current on this thread and writes it to our MDC keys, until
   * {@link #restore(CorrelationContext)} or {@link #restore()}.
   *
   * @throws NullPointerException if {@code value} is null (context-propagation never passes one)
   */
  @Override
  public void setValue(CorrelationContext value) {
    Objects.requireNonNull(value, "value == null");
    OPENED.get().push(Correlation.open(value));
  }

  /** Makes no flow current and removes our MDC keys, until {@link #restore()}. */
  @Override
  public void setValue() {
    OPENED.get().push(Correlation.openNone());
  }

  /**
   * Closes the scope of the matching {@link #setValue(CorrelationContext)}: the flow that was
   * current before it ({@code previousValue}) is current again, with its MDC values.
   */
  @Override
  public void restore(CorrelationContext previousValue) {
    close();
  }

  /** Closes the scope of the matching set: no flow is current again, our MDC keys are removed. */
  @Override
  public void restore() {
    close();
  }

  private static void close() {
    Scope top = OPENED.get().poll();
    if (top == null) {
      LOG.debug("restore without a matching setValue on thread {}; ignored",
          Thread.currentThread().getName());
      return;
    }
    top.close();
  }
}
