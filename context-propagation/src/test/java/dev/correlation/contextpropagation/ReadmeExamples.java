package dev.correlation.contextpropagation;

import dev.correlation.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The README's Reactor and Spring executor snippet, as it is there, so that the build compiles it
 * against the current API; the it module's ReadmeExamplesTest checks that the README still says the
 * same. Not run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);
  private final String order = "order-42";
  private final StockService stockService = Mono::just;

  void reactorAndSpringExecutors(ThreadPoolTaskExecutor executor) {
    Hooks.enableAutomaticContextPropagation();           // once, at start-up (Boot: spring.reactor.context-propagation=auto)

    Correlation.runWith("order-42", () ->
        Mono.just(order)
            .publishOn(Schedulers.parallel())
            .flatMap(o -> stockService.reserve(o).subscribeOn(Schedulers.boundedElastic()))
            .doOnNext(o -> log.info("reserved"))         // correlation_id=order-42
            .block());

    // Spring @Async and any ThreadPoolTaskExecutor:
    executor.setTaskDecorator(new ContextPropagatingTaskDecorator());
  }

  /** Stands for the application's reactive service. */
  interface StockService {
    Mono<String> reserve(String order);
  }
}
