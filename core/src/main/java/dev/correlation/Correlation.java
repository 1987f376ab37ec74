package dev.correlation;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The static entry point: read the current flow, open one, run code in one, start one at the edge,
 * and carry it into other threads.
 *
 * <pre>{@code
 * Correlation.runWith(Correlation.newId(), () -> {
 *   log.info("placing order");              // MDC correlation_id is set
 *   producer.send(record);                    // the interceptor writes X-Correlation-ID
 *   pool.submit(Correlation.wrap(task));      // the task runs in the same flow
 * });
 * }</pre>
 *
 * <p>The current context is per thread. Every method is thread safe.
 *
 * <p><b>Configuration.</b> The process-wide {@link CorrelationConfig} ({@link #config()}) serves
 * everything that is not given a configuration of its own: this class, the broker modules' entry
 * points made with {@code create()}, the Kafka producer interceptor without {@code correlation.*}
 * properties. {@link #configure(CorrelationConfig)} may be called at any time and more than once;
 * each call affects scopes opened and messages handled from then on. An instance made with its own
 * configuration keeps it. A context read from a message remembers the configuration that read it,
 * so its MDC keys are the same whichever way it is opened.
 */
public final class Correlation {
  private static volatile CorrelationConfig config = CorrelationConfig.defaults();

  private Correlation() {}

  /** The process-wide configuration, used by everything not given its own. */
  public static CorrelationConfig config() {
    return config;
  }

  /** Replaces the process-wide configuration; affects scopes and messages from now on. */
  public static void configure(CorrelationConfig newConfig) {
    config = Objects.requireNonNull(newConfig, "config == null");
  }

  /** The context of the innermost open scope on this thread, if any. */
  public static Optional<CorrelationContext> current() {
    return Optional.ofNullable(Frame.current());
  }

  /** The context of the innermost open scope on this thread, or null. Allocation-free. */
  public static @Nullable CorrelationContext currentContext() {
    return Frame.current();
  }

  /** The current correlation ID, or null outside any flow. Allocation-free. */
  public static @Nullable String currentId() {
    CorrelationContext current = Frame.current();
    return current == null ? null : current.correlationId();
  }

  /**
   * A new ID from the configured generator, to start a flow at the edge. If the generator throws
   * or returns nothing, a random UUID, with a rate-limited WARN; never throws.
   */
  public static String newId() {
    return CorrelationPropagator.newId(config);
  }

  /**
   * Continues the flow of an ID that came from outside (an HTTP header, a job's parameters), or
   * starts a new one: the ID is checked exactly as a broker receive checks a header (validator,
   * length, control characters, transformer, {@code trust.incoming}); a missing one gets a new ID,
   * and a bad one a new ID with a rate-limited WARN showing it escaped. Use it, not
   * {@link #open(String)}, wherever the ID is not your own:
   *
   * <pre>{@code
   * try (Scope scope = Correlation.continueOrStart(request.getHeader("X-Correlation-ID"))) {
   *   response.setHeader("X-Correlation-ID", Correlation.currentId());
   *   chain.doFilter(request, response);
   * }
   * }</pre>
   *
   * @param incoming the ID as received, or null when there was none
   * @return the scope of the flow, to close when the work is done; never throws
   */
  public static Scope continueOrStart(@Nullable String incoming) {
    return CorrelationPropagator.create(config).continueOrStart(incoming);
  }

  /**
   * Makes {@code context} current on this thread until the returned scope is closed, and writes it
   * to the MDC (if enabled). Use with try-with-resources. The MDC keys are those of the
   * configuration the context was read with (see {@link CorrelationContext}), else the
   * process-wide ones.
   */
  public static Scope open(CorrelationContext context) {
    return CorrelationPropagator.open(context, config);
  }

  /**
   * Makes no flow current on this thread until the returned scope is closed, and removes the
   * library's MDC keys meanwhile; closing restores both. For integrations that must run code
   * outside any flow on a thread that may be in one (context-propagation clearing a thread local
   * at the start of its scope). Returns a no-op scope when nothing is open.
   */
  public static Scope openNone() {
    return Frame.reopen(null);
  }

  /**
   * Opens a flow with this correlation ID and no message. The ID is taken as it is: for an ID from
   * outside, use {@link #continueOrStart(String)}, which checks it.
   *
   * @throws IllegalArgumentException if {@code correlationId} is empty
   */
  public static Scope open(String correlationId) {
    return open(CorrelationContext.of(correlationId));
  }

  /** Runs {@code task} with {@code correlationId} current, then restores what was current. */
  public static void runWith(String correlationId, Runnable task) {
    runWith(CorrelationContext.of(correlationId), task);
  }

  /** Runs {@code task} with {@code context} current, then restores what was current. */
  public static void runWith(CorrelationContext context, Runnable task) {
    Objects.requireNonNull(task, "task == null");
    Scope scope = open(context);
    try {
      task.run();
    } finally {
      scope.close();
    }
  }

  /** Calls {@code task} with {@code correlationId} current; its exception passes unchanged. */
  public static <T> T callWith(String correlationId, Callable<T> task) throws Exception {
    return callWith(CorrelationContext.of(correlationId), task);
  }

  /** Calls {@code task} with {@code context} current; its exception passes unchanged. */
  public static <T> T callWith(CorrelationContext context, Callable<T> task) throws Exception {
    Objects.requireNonNull(task, "task == null");
    Scope scope = open(context);
    try {
      return task.call();
    } finally {
      scope.close();
    }
  }

  /** Gets a value from {@code task} with {@code correlationId} current. */
  public static <T> T supplyWith(String correlationId, Supplier<T> task) {
    return supplyWith(CorrelationContext.of(correlationId), task);
  }

  /** Gets a value from {@code task} with {@code context} current. */
  public static <T> T supplyWith(CorrelationContext context, Supplier<T> task) {
    Objects.requireNonNull(task, "task == null");
    Scope scope = open(context);
    try {
      return task.get();
    } finally {
      scope.close();
    }
  }

  /**
   * A task that runs in the context current now (at wrapping time), wherever it runs; the worker
   * thread's own context and MDC are restored afterwards. An already wrapped task is returned as
   * it is.
   */
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task == null");
    return task instanceof CorrelatingRunnable ? task : new CorrelatingRunnable(capture(), task);
  }

  /** Like {@link #wrap(Runnable)}, for a task with a result. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task == null");
    return task instanceof CorrelatingCallable ? task : new CorrelatingCallable<>(capture(), task);
  }

  /**
   * An executor whose tasks run in the context current when they were handed to it. Wrapping a
   * wrapped executor returns it.
   */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor == null");
    if (executor instanceof ExecutorService) {
      return wrap((ExecutorService) executor);
    }
    return executor instanceof CorrelatingExecutor ? executor : new CorrelatingExecutor(executor);
  }

  /**
   * An executor service whose tasks ({@code execute}, {@code submit}, {@code invokeAll},
   * {@code invokeAny}) run in the context current at submission. Lifecycle methods are delegated.
   * Wrapping a wrapped service returns it.
   */
  public static ExecutorService wrap(ExecutorService executor) {
    Objects.requireNonNull(executor, "executor == null");
    if (executor instanceof ScheduledExecutorService) {
      return wrap((ScheduledExecutorService) executor);
    }
    return executor instanceof CorrelatingExecutorService
        ? executor : new CorrelatingExecutorService(executor);
  }

  /**
   * A scheduled executor whose tasks, one-shot and periodic, run in the context current when
   * they were scheduled (every run of a periodic task). Wrapping a wrapped one returns it.
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor == null");
    return executor instanceof CorrelatingScheduledExecutorService
        ? executor : new CorrelatingScheduledExecutorService(executor);
  }

  /** The innermost open frame, to be reopened on another thread. */
  static @Nullable Frame capture() {
    return Frame.top();
  }
}
