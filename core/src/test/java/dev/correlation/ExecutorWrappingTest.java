package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import dev.correlation.testing.ThreadChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ExecutorWrappingTest {
  private final ExecutorService raw = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService rawScheduled = Executors.newScheduledThreadPool(1);

  @AfterEach
  void shutdown() throws Exception {
    ThreadChecks.assertPoolThreadsClean(raw, 2);
    raw.shutdownNow();
    rawScheduled.shutdownNow();
  }

  private static String seen() {
    return Correlation.currentId() + "|" + MDC.get("correlation_id");
  }

  @Test
  void wrappedRunnableAndCallableRunInTheContextOfWrappingTime() throws Exception {
    Runnable[] task = new Runnable[1];
    Callable<String>[] call = castArray();
    List<String> seen = new CopyOnWriteArrayList<>();
    Correlation.runWith("at-wrap", () -> {
      task[0] = Correlation.wrap(() -> {
        seen.add(seen());
      });
      call[0] = Correlation.wrap(ExecutorWrappingTest::seen);
    });
    try (Scope other = Correlation.open("at-run")) {
      raw.submit(task[0]).get();
      assertThat(raw.submit(call[0]).get()).isEqualTo("at-wrap|at-wrap");
      task[0].run(); // on the caller's thread too, then back to its own context
      assertThat(Correlation.currentId()).isEqualTo("at-run");
      assertThat(MDC.get("correlation_id")).isEqualTo("at-run");
    }
    assertThat(seen).containsExactly("at-wrap|at-wrap", "at-wrap|at-wrap");
  }

  @SuppressWarnings("unchecked")
  private static Callable<String>[] castArray() {
    return new Callable[1];
  }

  @Test
  void executorServiceCapturesAtSubmitTime() throws Exception {
    ExecutorService pool = Correlation.wrap(raw);
    Future<String> a;
    Future<String> b;
    try (Scope s = Correlation.open("one")) {
      a = pool.submit(ExecutorWrappingTest::seen);
    }
    try (Scope s = Correlation.open("two")) {
      b = pool.submit(ExecutorWrappingTest::seen);
      Callable<String> task = ExecutorWrappingTest::seen;
      List<Future<String>> all = pool.invokeAll(List.of(task, task));
      for (Future<String> f : all) {
        assertThat(f.get()).isEqualTo("two|two");
      }
      Callable<String> one = ExecutorWrappingTest::seen;
      String any = pool.invokeAny(List.of(one));
      assertThat(any).isEqualTo("two|two");
      CountDownLatch done = new CountDownLatch(1);
      String[] viaExecute = new String[1];
      pool.execute(() -> {
        viaExecute[0] = seen();
        done.countDown();
      });
      done.await(10, TimeUnit.SECONDS);
      assertThat(viaExecute[0]).isEqualTo("two|two");
    }
    assertThat(a.get()).isEqualTo("one|one");
    assertThat(b.get()).isEqualTo("two|two");
    // a task submitted outside any flow runs outside any flow
    assertThat(pool.submit(ExecutorWrappingTest::seen).get()).isEqualTo("null|null");
  }

  @Test
  void doesNotWrapTwice() {
    ExecutorService once = Correlation.wrap(raw);
    assertThat(Correlation.wrap(once)).isSameAs(once);
    assertThat(Correlation.wrap((Executor) once)).isSameAs(once);
    ScheduledExecutorService scheduled = Correlation.wrap(rawScheduled);
    assertThat(Correlation.wrap(scheduled)).isSameAs(scheduled);
    assertThat(Correlation.wrap((ExecutorService) rawScheduled))
        .isInstanceOf(ScheduledExecutorService.class);
    Executor plain = Correlation.wrap((Executor) Runnable::run);
    assertThat(Correlation.wrap(plain)).isSameAs(plain);
    Runnable task = Correlation.wrap(() -> { });
    assertThat(Correlation.wrap(task)).isSameAs(task);
  }

  @Test
  void scheduledTasksOneShotAndPeriodicKeepTheirContext() throws Exception {
    ScheduledExecutorService pool = Correlation.wrap(rawScheduled);
    List<String> periodic = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    ScheduledFuture<String> later;
    ScheduledFuture<?> repeating;
    try (Scope s = Correlation.open("tick")) {
      later = pool.schedule(ExecutorWrappingTest::seen, 10, TimeUnit.MILLISECONDS);
      repeating = pool.scheduleAtFixedRate(() -> {
        periodic.add(seen());
        three.countDown();
      }, 0, 5, TimeUnit.MILLISECONDS);
    }
    assertThat(later.get()).isEqualTo("tick|tick");
    assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
    repeating.cancel(false);
    assertThat(periodic).allMatch("tick|tick"::equals);
    assertThat(pool.schedule(ExecutorWrappingTest::seen, 1, TimeUnit.MILLISECONDS).get())
        .isEqualTo("null|null");
  }

  @Test
  void completableFutureChainsOnAWrappedExecutorKeepTheId() throws Exception {
    Executor pool = Correlation.wrap(raw);
    CompletableFuture<String> chain;
    try (Scope s = Correlation.open("cf-1")) {
      chain = CompletableFuture.supplyAsync(ExecutorWrappingTest::seen, pool)
          .thenApplyAsync(first -> first + ">" + seen(), pool)
          .thenComposeAsync(two -> CompletableFuture.supplyAsync(() -> two + ">" + seen(), pool),
              pool)
          .thenCombineAsync(CompletableFuture.supplyAsync(ExecutorWrappingTest::seen, pool),
              (left, right) -> left + ">" + right + ">" + seen(), pool);
    }
    assertThat(chain.get(10, TimeUnit.SECONDS))
        .isEqualTo("cf-1|cf-1>cf-1|cf-1>cf-1|cf-1>cf-1|cf-1>cf-1|cf-1");
  }

  @Test
  void virtualThreadsKeepTheIdOnJava21AndLater() throws Exception {
    Assumptions.assumeTrue(Runtime.version().feature() >= 21,
        "virtual threads need Java 21; .ci/run runs this suite on Java 25 as well");
    ExecutorService virtual = (ExecutorService) Executors.class
        .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try (Scope s = Correlation.open("virtual")) {
      ExecutorService pool = Correlation.wrap(virtual);
      List<Future<String>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        results.add(pool.submit(() -> {
          Thread.sleep(1); // unmount and remount: the context must follow the virtual thread
          return seen();
        }));
      }
      for (Future<String> f : results) {
        assertThat(f.get()).isEqualTo("virtual|virtual");
      }
    } finally {
      virtual.shutdownNow();
    }
  }
}
