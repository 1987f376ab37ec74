package dev.correlation.spring.kafka;

import dev.correlation.CorrelationConfig;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.spring.CorrelationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Spring Kafka, when Boot's Kafka support is on the class path and
 * {@code correlation.kafka.enabled} is not {@code false}: a {@link KafkaCorrelation} bean (for
 * batch listeners, which open each record themselves), the {@link CorrelationRecordInterceptor}
 * that Boot puts into its listener container factory, and the producer interceptor on Boot's
 * producer factory, so {@code KafkaTemplate} sends carry the flow, with the causation ID of the
 * record being handled.
 */
@AutoConfiguration(after = CorrelationAutoConfiguration.class, before = KafkaAutoConfiguration.class)
@ConditionalOnClass({KafkaAutoConfiguration.class, RecordInterceptor.class, KafkaCorrelation.class})
@ConditionalOnProperty(prefix = "correlation.kafka", name = "enabled", matchIfMissing = true)
public final class CorrelationKafkaAutoConfiguration {
  /** For Spring. */
  public CorrelationKafkaAutoConfiguration() {}

  /** Reads the flow of a record; for batch listeners, {@code kafka.open(record)} per record. */
  @Bean
  @ConditionalOnMissingBean
  public KafkaCorrelation kafkaCorrelation(CorrelationConfig config) {
    return KafkaCorrelation.create(config);
  }

  /**
   * The record interceptor of Boot's listener container factory. Typed
   * {@code RecordInterceptor<Object, Object>}, the one type Boot looks for.
   */
  @Bean
  @ConditionalOnMissingBean(CorrelationRecordInterceptor.class)
  public RecordInterceptor<Object, Object> correlationRecordInterceptor(KafkaCorrelation kafka) {
    return CorrelationRecordInterceptor.create(kafka);
  }

  /** Adds the producer interceptor to Boot's producer factory, keeping the application's own. */
  @Bean
  public DefaultKafkaProducerFactoryCustomizer correlationProducerFactoryCustomizer() {
    return new ProducerInterceptorCustomizer();
  }
}
