package dev.correlation.spring.kafka;

import dev.correlation.CorrelationConfig;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.spring.CorrelationAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
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
 * that Boot puts into its listener container factory (combined with the application's own record
 * interceptor, if it has one; added to the application's own factories too), and the producer
 * interceptor on Boot's
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
   * {@code RecordInterceptor<Object, Object>}, the one type Boot looks for, and only when the
   * application has none: Boot takes one only when it is the only one. Otherwise the application's
   * goes into Boot's factory and ours is put around it there.
   */
  @Bean
  @ConditionalOnMissingBean(RecordInterceptor.class)
  public RecordInterceptor<Object, Object> correlationRecordInterceptor(KafkaCorrelation kafka) {
    return CorrelationRecordInterceptor.create(kafka);
  }

  /** Adds our interceptor to listener container factories that do not have it yet. */
  @Bean
  static BeanPostProcessor correlationKafkaListenerContainerFactories(
      ObjectProvider<KafkaCorrelation> kafka) {
    return new ListenerContainerFactoryPostProcessor(kafka);
  }

  /** Adds the producer interceptor to Boot's producer factory, keeping the application's own. */
  @Bean
  public DefaultKafkaProducerFactoryCustomizer correlationProducerFactoryCustomizer() {
    return new ProducerInterceptorCustomizer();
  }
}
