package dev.correlation.spring.amqp;

import java.util.Arrays;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.amqp.rabbit.config.AbstractRabbitListenerContainerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Puts the listener advice first in the advice chain of every Rabbit listener container factory of
 * the context (Boot's simple and direct ones and the application's own), keeping the advice
 * already there (Boot's retry interceptor, for one) inside it, so retries and the recoverer run in
 * the message's flow too.
 */
final class ListenerContainerFactoryPostProcessor implements BeanPostProcessor {
  private final ObjectProvider<SpringRabbitCorrelation> rabbit;

  ListenerContainerFactoryPostProcessor(ObjectProvider<SpringRabbitCorrelation> rabbit) {
    this.rabbit = rabbit;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof AbstractRabbitListenerContainerFactory) {
      AbstractRabbitListenerContainerFactory<?> factory =
          (AbstractRabbitListenerContainerFactory<?>) bean;
      MethodInterceptor ours = rabbit.getObject().listenerAdvice();
      Advice[] chain = factory.getAdviceChain();
      if (chain == null) {
        factory.setAdviceChain(ours);
      } else if (!Arrays.asList(chain).contains(ours)) {
        Advice[] withOurs = new Advice[chain.length + 1];
        withOurs[0] = ours;
        System.arraycopy(chain, 0, withOurs, 1, chain.length);
        factory.setAdviceChain(withOurs);
      }
    }
    return bean;
  }

  @Override
  public String toString() {
    return "ListenerContainerFactoryPostProcessor";
  }
}
