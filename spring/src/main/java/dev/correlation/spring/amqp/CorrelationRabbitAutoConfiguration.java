package dev.correlation.spring.amqp;

import dev.correlation.CorrelationConfig;
import dev.correlation.rabbitmq.RabbitCorrelation;
import dev.correlation.spring.CorrelationAutoConfiguration;
import dev.correlation.spring.CorrelationProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Spring AMQP, when Boot's RabbitMQ support is on the class path and
 * {@code correlation.rabbitmq.enabled} is not {@code false}: Boot's {@code RabbitTemplate} gets the
 * {@link SpringRabbitCorrelation#messagePostProcessor() post-processor} before every publish;
 * every Rabbit listener container factory gets the
 * {@link SpringRabbitCorrelation#listenerAdvice() listener advice} first in its advice chain; and
 * every {@code @RabbitListener} container's error handler runs in the failed message's flow.
 */
@AutoConfiguration(after = CorrelationAutoConfiguration.class, before = RabbitAutoConfiguration.class)
@ConditionalOnClass({RabbitAutoConfiguration.class, RabbitTemplate.class, RabbitCorrelation.class})
@ConditionalOnProperty(prefix = "correlation.rabbitmq", name = "enabled", matchIfMissing = true)
public final class CorrelationRabbitAutoConfiguration {
  /** For Spring. */
  public CorrelationRabbitAutoConfiguration() {}

  /**
   * The Spring AMQP side of the library, with the application's configuration. Declare a
   * {@code SpringRabbitCorrelation} bean of your own ({@link SpringRabbitCorrelation#builder()})
   * to add an error hook.
   */
  @Bean
  @ConditionalOnMissingBean
  public SpringRabbitCorrelation springRabbitCorrelation(CorrelationConfig config,
      CorrelationProperties properties) {
    return SpringRabbitCorrelation.builder().config(config)
        .correlationIdFallback(properties.getRabbitmq().isCorrelationIdFallback()).build();
  }

  /** Adds the post-processor to Boot's {@code RabbitTemplate}. */
  @Bean
  public RabbitTemplateCustomizer correlationRabbitTemplateCustomizer(
      SpringRabbitCorrelation rabbit) {
    return template -> template.addBeforePublishPostProcessors(rabbit.messagePostProcessor());
  }

  /** Puts the listener advice into every listener container factory. */
  @Bean
  static BeanPostProcessor correlationRabbitListenerAdvice(
      ObjectProvider<SpringRabbitCorrelation> rabbit) {
    return new ListenerContainerFactoryPostProcessor(rabbit);
  }

  /** Runs the containers' error handlers in the failed message's flow. */
  @Bean
  ErrorHandlerInstaller correlationRabbitErrorHandlers(
      ObjectProvider<RabbitListenerEndpointRegistry> registry, SpringRabbitCorrelation rabbit) {
    return new ErrorHandlerInstaller(registry, rabbit);
  }
}
