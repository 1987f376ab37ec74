package dev.correlation.spring.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.spring.CorrelationAutoConfiguration;
import org.aopalliance.aop.Advice;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Boot's real RabbitMQ auto-configuration: what ends up on its listener container factories. */
class RabbitListenerFactoryTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CorrelationAutoConfiguration.class,
          CorrelationRabbitAutoConfiguration.class, RabbitAutoConfiguration.class));

  @Test
  void simpleContainerFactoryGetsTheAdviceFirstBeforeBootsRetry() {
    runner.withPropertyValues("spring.rabbitmq.listener.simple.retry.enabled=true")
        .run(context -> {
          Advice[] chain =
              context.getBean(SimpleRabbitListenerContainerFactory.class).getAdviceChain();
          assertThat(chain).hasSizeGreaterThan(1);
          assertThat(chain[0])
              .isSameAs(context.getBean(SpringRabbitCorrelation.class).listenerAdvice());
        });
  }

  @Test
  void directContainerFactoryGetsTheAdvice() {
    runner.withPropertyValues("spring.rabbitmq.listener.type=direct").run(context -> {
      Advice[] chain = context.getBean(DirectRabbitListenerContainerFactory.class).getAdviceChain();
      assertThat(chain)
          .containsExactly(context.getBean(SpringRabbitCorrelation.class).listenerAdvice());
    });
  }
}
