package dev.correlation.contextpropagation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.Correlation;
import dev.correlation.testing.LogCapture;
import dev.correlation.testing.ThreadChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Reactor's automatic context propagation carries our flow through the accessor alone. */
class ReactorPropagationTest {
  private static final Logger LOG = LoggerFactory.getLogger("reactor.pipeline");

  static {
    // INFO for this test's own logger only, captured but kept off the console
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LOG;
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.setAdditive(false);
  }
  private static final int INNER_THREADS = 2;
  private static Scheduler inner;

  private final LogCapture log = new LogCapture("reactor.pipeline");

  @BeforeAll
  static void enable() {
    Hooks.enableAutomaticContextPropagation();
    inner = Schedulers.newParallel("inner", INNER_THREADS);
  }

  @AfterAll
  static void disable() {
    Hooks.disableAutomaticContextPropagation();
    inner.dispose();
  }

  @AfterEach
  void everySchedulerThreadIsCleanAfterwards() {
    log.close();
    assertClean(Schedulers.parallel(), Schedulers.DEFAULT_POOL_SIZE);
    assertClean(inner, INNER_THREADS);
  }

  /** publishOn, Mono.delay, flatMap over an inner publisher on another scheduler, then block. */
  private static Mono<String> pipeline(String label) {
    return Mono.just(label)
        .publishOn(Schedulers.parallel())
        .doOnNext(l -> LOG.info("{} after publishOn", l))
        .flatMap(l -> Mono.delay(Duration.ofMillis(5)).thenReturn(l))
        .doOnNext(l -> LOG.info("{} after delay", l))
        .flatMap(l -> Mono.fromCallable(() -> {
          LOG.info("{} inner", l);
          return l;
        }).subscribeOn(inner))
        .doOnNext(l -> LOG.info("{} after inner", l))
        .map(l -> l + "=" + Correlation.currentId());
  }

  @Test
  void everyStageLogsTheFlowThatSubscribed() {
    String result = Correlation.supplyWith("flow-1",
        () -> pipeline("flow-1").block(Duration.ofSeconds(30)));
    assertThat(result).isEqualTo("flow-1=flow-1");
    List<ILoggingEvent> events = log.events();
    assertThat(events).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "flow-1 after publishOn", "flow-1 after delay", "flow-1 inner", "flow-1 after inner");
    assertThat(events).allSatisfy(e ->
        assertThat(e.getMDCPropertyMap()).containsEntry("correlation_id", "flow-1"));
    assertThat(events).extracting(ILoggingEvent::getThreadName)
        .anySatisfy(t -> assertThat(t).startsWith("parallel-"))
        .anySatisfy(t -> assertThat(t).startsWith("inner-"));
  }

  @Test
  void twoHundredInterleavedFlowsNeverCross() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String flow = "flow-" + i;
        results.add(callers.submit(() -> Correlation.supplyWith(flow,
            () -> pipeline(flow).block(Duration.ofSeconds(60)))));
      }
      for (int i = 0; i < 200; i++) {
        assertThat(results.get(i).get(2, TimeUnit.MINUTES)).isEqualTo("flow-" + i + "=flow-" + i);
      }
      List<ILoggingEvent> events = log.events();
      assertThat(events).hasSize(800);
      assertThat(events).allSatisfy(e -> assertThat(e.getMDCPropertyMap().get("correlation_id"))
          .as(e.getFormattedMessage() + " on " + e.getThreadName())
          .isEqualTo(e.getFormattedMessage().split(" ")[0]));
      ThreadChecks.assertPoolThreadsClean(callers, 16);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aPipelineSubscribedOutsideAnyFlowLogsNone() {
    assertThat(pipeline("none").block(Duration.ofSeconds(30))).isEqualTo("none=null");
    assertThat(log.events()).hasSize(4).allSatisfy(e ->
        assertThat(e.getMDCPropertyMap()).doesNotContainKey("correlation_id"));
  }

  /** Runs a probe on each of the scheduler's workers: none may hold a flow or our MDC keys. */
  private static void assertClean(Scheduler scheduler, int threads) {
    List<CompletableFuture<String>> probes = new ArrayList<>();
    List<Scheduler.Worker> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Scheduler.Worker worker = scheduler.createWorker();
      workers.add(worker);
      CompletableFuture<String> probe = new CompletableFuture<>();
      worker.schedule(() -> probe.complete(Thread.currentThread().getName() + " "
          + ThreadChecks.state()));
      probes.add(probe);
    }
    Set<String> threadNames = new HashSet<>();
    for (CompletableFuture<String> probe : probes) {
      String state = probe.orTimeout(30, TimeUnit.SECONDS).join();
      assertThat(state).endsWith(" clean");
      threadNames.add(state);
    }
    workers.forEach(Scheduler.Worker::dispose);
    assertThat(threadNames).as("one probe per scheduler thread").hasSize(threads);
  }
}
