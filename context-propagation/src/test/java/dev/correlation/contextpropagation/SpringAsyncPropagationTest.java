package dev.correlation.contextpropagation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.Correlation;
import dev.correlation.Scope;
import dev.correlation.testing.LogCapture;
import dev.correlation.testing.ThreadChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** Spring's ContextPropagatingTaskDecorator carries our flow into @Async methods. */
class SpringAsyncPropagationTest {
  static final int THREADS = 4;
  private static final Logger LOG = LoggerFactory.getLogger("spring.async");

  static {
    // INFO for this test's own logger only, captured but kept off the console
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LOG;
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.setAdditive(false);
  }

  private final LogCapture log = new LogCapture("spring.async");
  private final AnnotationConfigApplicationContext spring =
      new AnnotationConfigApplicationContext(AsyncConfig.class);

  @AfterEach
  void close() {
    log.close();
    spring.close();
  }

  @Configuration
  @EnableAsync
  static class AsyncConfig {
    @Bean
    ThreadPoolTaskExecutor taskExecutor() {
      ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
      executor.setCorePoolSize(THREADS);
      executor.setMaxPoolSize(THREADS);
      executor.setThreadNamePrefix("async-");
      executor.setTaskDecorator(new ContextPropagatingTaskDecorator());
      return executor;
    }

    @Bean
    Worker worker() {
      return new Worker();
    }
  }

  static class Worker {
    @Async
    public CompletableFuture<String> work(String label) {
      LOG.info("{} async", label);
      return CompletableFuture.completedFuture(Thread.currentThread().getName() + " "
          + Correlation.currentId());
    }
  }

  @Test
  void asyncMethodsRunInTheCallersFlowAndPoolThreadsEndClean() throws Exception {
    Worker worker = spring.getBean(Worker.class);
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      try (Scope flow = Correlation.open("flow-" + i)) {
        results.add(worker.work("flow-" + i));
      }
    }
    for (int i = 0; i < 200; i++) {
      assertThat(results.get(i).get(1, TimeUnit.MINUTES)).startsWith("async-")
          .endsWith(" flow-" + i);
    }
    List<ILoggingEvent> events = log.events();
    assertThat(events).hasSize(200).allSatisfy(e ->
        assertThat(e.getMDCPropertyMap().get("correlation_id")).as(e.getFormattedMessage())
            .isEqualTo(e.getFormattedMessage().split(" ")[0]));
    ThreadChecks.assertPoolThreadsClean(
        spring.getBean(ThreadPoolTaskExecutor.class).getThreadPoolExecutor(), THREADS);
  }

  @Test
  void anAsyncCallOutsideAnyFlowRunsInNone() throws Exception {
    String result = spring.getBean(Worker.class).work("none").get(1, TimeUnit.MINUTES);
    assertThat(result).endsWith(" null");
  }
}
