package dev.correlation.bench;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.slf4j.MDC;

/**
 * Opening and closing a context with its three MDC keys (Logback's adapter), against writing the
 * same three MDC keys by hand and removing them: what a careful user would do without us.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ScopeBenchmark {
  private final CorrelationContext context =
      CorrelationContext.of("7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "orders-3@1042", "orders-1@17");
  private final Runnable task = () -> { };

  @Benchmark
  public void baseline() {
    MDC.put("correlation_id", context.correlationId());
    MDC.put("message_id", context.messageId());
    MDC.put("causation_id", context.causationId());
    task.run();
    MDC.remove("correlation_id");
    MDC.remove("message_id");
    MDC.remove("causation_id");
  }

  @Benchmark
  public void openClose() {
    dev.correlation.Scope scope = Correlation.open(context);
    try {
      task.run();
    } finally {
      scope.close();
    }
  }

  @Benchmark
  public void wrapAndRun() {
    dev.correlation.Scope scope = Correlation.open(context);
    Runnable wrapped;
    try {
      wrapped = Correlation.wrap(task);
    } finally {
      scope.close();
    }
    wrapped.run();
  }
}
