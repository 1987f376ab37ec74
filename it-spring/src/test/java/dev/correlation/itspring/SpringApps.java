package dev.correlation.itspring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.CorrelationContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the test applications the way a user's would start, with properties only. */
final class SpringApps {
  private SpringApps() {}

  /**
   * Starts {@code app} with {@code properties}. Spring Cloud AWS is on the class path of every
   * test: its SQS support is switched off unless {@code properties} name an endpoint.
   */
  static ConfigurableApplicationContext start(Class<?> app, Map<String, Object> properties) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("spring.cloud.aws.region.static", "us-east-1");
    all.put("spring.cloud.aws.credentials.access-key", "x");
    all.put("spring.cloud.aws.credentials.secret-key", "x");
    if (!properties.containsKey("spring.cloud.aws.sqs.endpoint")) {
      all.put("spring.cloud.aws.sqs.enabled", "false");
    }
    all.put("spring.main.banner-mode", "off");
    all.putAll(properties);
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.NONE)
        .properties(all)
        .run();
  }

  /** Waits, up to a minute, until {@code condition} holds; the events are checked as they come. */
  static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after 60 s waiting for " + what);
      }
      Thread.sleep(20); // polling a condition, not a fixed wait
    }
  }

  /** The first event matching {@code filter}, after waiting for it. */
  static ILoggingEvent awaitEvent(Supplier<List<ILoggingEvent>> events,
      Predicate<ILoggingEvent> filter, String what) throws InterruptedException {
    await(what, () -> events.get().stream().anyMatch(filter));
    return events.get().stream().filter(filter).findFirst().orElseThrow();
  }

  /**
   * Waits for the lines of a hand-built container's wrapped listener, {@code "hand ok-<run>"}, and
   * of its error hook, {@code "hook fail-<run>"}, and checks that both were logged in {@code flow}
   * (the listener's with the flow's message ID as its cause).
   */
  static void awaitHandledAndHookedIn(Supplier<List<ILoggingEvent>> events, String run,
      CorrelationContext flow) throws InterruptedException {
    ILoggingEvent handled = awaitEvent(events,
        e -> e.getFormattedMessage().equals("hand ok-" + run), "the wrapped listener's line");
    assertThat(handled.getMDCPropertyMap())
        .containsEntry("correlation_id", flow.correlationId())
        .containsEntry("causation_id", flow.messageId());
    ILoggingEvent hooked = awaitEvent(events,
        e -> e.getFormattedMessage().equals("hook fail-" + run), "the error hook's line");
    assertThat(hooked.getMDCPropertyMap()).containsEntry("correlation_id", flow.correlationId());
  }
}
