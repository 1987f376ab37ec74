package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import dev.correlation.testing.ThreadChecks;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ConcurrencyTest {

  @Test
  void sixtyFourThreadsTenThousandScopesEachNoCrossTalkAndCleanThreadsAfter() throws Exception {
    int tasks = 64;
    int scopes = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Queue<String> errors = new ConcurrentLinkedQueue<>();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < tasks; t++) {
        String flow = "flow-" + t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < scopes; i++) {
            String id = flow + "-" + i;
            try (Scope outer = Correlation.open(id)) {
              try (Scope inner = Correlation.open(CorrelationContext.of(id, "m" + i, null))) {
                if (!id.equals(Correlation.currentId()) || !id.equals(MDC.get("correlation_id"))) {
                  errors.add(id + " saw " + Correlation.currentId() + "/" + MDC.get("correlation_id"));
                }
              }
              if (!id.equals(MDC.get("correlation_id")) || MDC.get("message_id") != null) {
                errors.add(id + " after inner saw " + MDC.get("correlation_id"));
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
      assertThat(errors).isEmpty();
      ThreadChecks.assertPoolThreadsClean(pool, 16);
    } finally {
      pool.shutdownNow();
    }
  }
}
