package dev.correlation.spring.sqs;

import dev.correlation.CorrelationConfig;
import dev.correlation.spring.CorrelationAutoConfiguration;
import dev.correlation.spring.CorrelationProperties;
import dev.correlation.sqs.SqsCorrelation;
import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * Spring Cloud AWS SQS, when it is on the class path and {@code correlation.sqs.enabled} is not
 * {@code false}: the {@link SpringSqsCorrelation#messageInterceptor() message interceptor} that
 * Spring Cloud AWS adds to its listener container factory, the SDK execution interceptor on its
 * {@code SqsAsyncClient} (through its client customizer), and the correlating header mapper on its
 * message converter, so {@code SqsTemplate} sends carry the flow. {@code correlation.sqs.strict}
 * makes a send without room for our attribute fail instead of going out without it.
 */
@AutoConfiguration(after = CorrelationAutoConfiguration.class, before = SqsAutoConfiguration.class)
@ConditionalOnClass({SqsAutoConfiguration.class, SqsTemplate.class, SqsCorrelation.class})
@ConditionalOnProperty(prefix = "correlation.sqs", name = "enabled", matchIfMissing = true)
public final class CorrelationSqsAutoConfiguration {
  /** For Spring. */
  public CorrelationSqsAutoConfiguration() {}

  /**
   * The Spring Cloud AWS side of the library, with the application's configuration. Declare a
   * {@code SpringSqsCorrelation} bean of your own ({@link SpringSqsCorrelation#builder()}) to add
   * an error hook.
   */
  @Bean
  @ConditionalOnMissingBean
  public SpringSqsCorrelation springSqsCorrelation(CorrelationConfig config,
      CorrelationProperties properties) {
    return SpringSqsCorrelation.builder().config(config).strict(properties.getSqs().isStrict())
        .build();
  }

  /** The message interceptor of the listener containers: one flow per message. */
  @Bean
  public MessageInterceptor<Object> correlationSqsMessageInterceptor(SpringSqsCorrelation sqs) {
    return sqs.messageInterceptor();
  }

  /** Adds the execution interceptor to the auto-configured client, keeping its other settings. */
  @Bean
  public SqsAsyncClientCustomizer correlationSqsAsyncClientCustomizer(SpringSqsCorrelation sqs) {
    return builder -> {
      ClientOverrideConfiguration current = builder.overrideConfiguration();
      ClientOverrideConfiguration.Builder override = current == null
          ? ClientOverrideConfiguration.builder() : current.toBuilder();
      builder.overrideConfiguration(
          override.addExecutionInterceptor(sqs.sqs().executionInterceptor()).build());
    };
  }

  /** Writes the flow into the attributes of every message the converter maps for sending. */
  @Bean
  static BeanPostProcessor correlationSqsMessageConverter(
      ObjectProvider<SpringSqsCorrelation> sqs) {
    return new MessageConverterPostProcessor(sqs);
  }
}
