package dev.correlation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/** Checks that threads hold no flow and none of the library's MDC keys. */
public final class ThreadChecks {
  private static final String[] KEYS = {"correlation_id", "message_id", "causation_id"};

  private ThreadChecks() {}

  /** {@code "clean"}, or what the current thread still holds. */
  public static String state() {
    StringBuilder held = new StringBuilder();
    Correlation.current().ifPresent(c -> held.append(" context=").append(c));
    for (String key : KEYS) {
      if (MDC.get(key) != null) {
        held.append(" MDC ").append(key).append('=').append(MDC.get(key));
      }
    }
    return held.length() == 0 ? "clean" : Thread.currentThread().getName() + " holds" + held;
  }

  /**
   * Asserts that every one of the {@code threads} threads of {@code pool} is clean: one plain
   * task per thread, all held at a barrier so that each runs on its own thread. Pass the raw
   * (unwrapped) pool, or a wrapped one while no flow is current.
   */
  public static void assertPoolThreadsClean(ExecutorService pool, int threads) throws Exception {
    CyclicBarrier all = new CyclicBarrier(threads);
    List<Future<String>> checks = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      checks.add(pool.submit(() -> {
        all.await(30, TimeUnit.SECONDS);
        return state();
      }));
    }
    List<String> states = new ArrayList<>();
    for (Future<String> check : checks) {
      states.add(check.get(1, TimeUnit.MINUTES));
    }
    assertThat(states).as("state of each pool thread").hasSize(threads).containsOnly("clean");
  }
}
