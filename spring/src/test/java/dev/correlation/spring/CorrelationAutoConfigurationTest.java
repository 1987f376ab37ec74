package dev.correlation.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.spring.amqp.CorrelationRabbitAutoConfiguration;
import dev.correlation.spring.amqp.SpringRabbitCorrelation;
import dev.correlation.spring.kafka.CorrelationKafkaAutoConfiguration;
import dev.correlation.spring.kafka.CorrelationRecordInterceptor;
import dev.correlation.spring.sqs.CorrelationSqsAutoConfiguration;
import dev.correlation.spring.sqs.SpringSqsCorrelation;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.listener.RecordInterceptor;

class CorrelationAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CorrelationAutoConfiguration.class,
          CorrelationKafkaAutoConfiguration.class, CorrelationRabbitAutoConfiguration.class,
          CorrelationSqsAutoConfiguration.class));

  /** Every key of CorrelationConfig.fromMap, each away from its default. */
  private static Map<String, String> everyKey() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(CorrelationConfig.HEADER_NAME, "X-Flow");
    keys.put(CorrelationConfig.CAUSATION_HEADER_NAME, "X-Cause");
    keys.put(CorrelationConfig.GENERATOR, "ulid");
    keys.put(CorrelationConfig.VALIDATOR, "uuid");
    keys.put(CorrelationConfig.TRANSFORMER, "lowercase");
    keys.put(CorrelationConfig.MAX_LENGTH, "64");
    keys.put(CorrelationConfig.MDC_ENABLED, "false");
    keys.put(CorrelationConfig.MDC_CORRELATION_KEY, "flow");
    keys.put(CorrelationConfig.MDC_MESSAGE_KEY, "msg");
    keys.put(CorrelationConfig.MDC_CAUSATION_KEY, "cause");
    keys.put(CorrelationConfig.TRUST_INCOMING, "false");
    keys.put(CorrelationConfig.GENERATE_WHEN_MISSING, "false");
    keys.put(CorrelationConfig.HEADER_ALIASES, "x-flow,FLOW_ID");
    keys.put(CorrelationConfig.HEADER_IGNORE_CASE, "true");
    keys.put(CorrelationConfig.TRACEPARENT, "read");
    keys.put(CorrelationConfig.BAGGAGE, "both");
    keys.put(CorrelationConfig.BAGGAGE_MEMBER, "flow_id");
    return keys;
  }

  private static String[] asProperties(Map<String, String> keys) {
    return keys.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  @Test
  void everyConfigKeyIsSettableAsASpringProperty() {
    Map<String, String> keys = everyKey();
    assertThat(keys.keySet()).as("every key core knows")
        .containsExactlyInAnyOrderElementsOf(CorrelationConfig.keys());
    runner.withPropertyValues(asProperties(keys)).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(CorrelationConfig.class))
          .isEqualTo(CorrelationConfig.fromMap(keys));
    });
  }

  @Test
  void keysLeftOutKeepTheirDefaults() {
    runner.withPropertyValues("correlation.max.length=42", "correlation.trust.incoming=false")
        .run(context -> assertThat(context.getBean(CorrelationConfig.class)).isEqualTo(
            CorrelationConfig.builder().maxLength(42).trustIncoming(false).build()));
  }

  @Test
  void noKeysGiveTheDefaults() {
    runner.run(context -> assertThat(context.getBean(CorrelationConfig.class))
        .isEqualTo(CorrelationConfig.defaults()));
  }

  @Test
  void badValueFailsTheStartNamingTheKey() {
    runner.withPropertyValues("correlation.max.length=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure())
          .hasStackTraceContaining("correlation.max.length=0 is not allowed");
    });
  }

  @Test
  void installsTheConfigProcessWideWhileTheContextRunsAndRestoresItAfter() {
    CorrelationConfig before = Correlation.config();
    runner.withPropertyValues("correlation.header.name=X-Flow").run(context ->
        assertThat(Correlation.config().headerName()).isEqualTo("X-Flow"));
    assertThat(Correlation.config()).isSameAs(before);
  }

  @Test
  void applicationsOwnConfigBeanWins() {
    CorrelationConfig own = CorrelationConfig.builder().headerName("X-Own").build();
    runner.withBean(CorrelationConfig.class, () -> own)
        .withPropertyValues("correlation.header.name=X-Ignored")
        .run(context -> assertThat(context.getBean(CorrelationConfig.class)).isSameAs(own));
  }

  @Test
  void eachIntegrationIsOnByDefault() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(KafkaCorrelation.class)
          .hasSingleBean(CorrelationRecordInterceptor.class)
          .hasSingleBean(SpringRabbitCorrelation.class)
          .hasSingleBean(SpringSqsCorrelation.class)
          .hasSingleBean(MessageInterceptor.class);
    });
  }

  @Test
  void eachIntegrationCanBeSwitchedOff() {
    runner.withPropertyValues("correlation.kafka.enabled=false",
        "correlation.rabbitmq.enabled=false", "correlation.sqs.enabled=false").run(context -> {
          assertThat(context).hasNotFailed()
              .doesNotHaveBean(RecordInterceptor.class)
              .doesNotHaveBean(KafkaCorrelation.class)
              .doesNotHaveBean(SpringRabbitCorrelation.class)
              .doesNotHaveBean(SpringSqsCorrelation.class)
              .hasSingleBean(CorrelationConfig.class);
        });
  }

  @Test
  void configurationMetadataListsEveryKeyForIdes() throws Exception {
    String metadata;
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("metadata written by the configuration processor").isNotNull();
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String key : everyKey().keySet()) {
      assertThat(metadata).contains("\"name\": \"" + key + "\"");
    }
    for (String key : List.of("correlation.kafka.enabled", "correlation.rabbitmq.enabled",
        "correlation.rabbitmq.correlation-id-fallback", "correlation.sqs.enabled",
        "correlation.sqs.strict", "correlation.web.enabled")) {
      assertThat(metadata).contains("\"name\": \"" + key + "\"");
    }
  }
}
