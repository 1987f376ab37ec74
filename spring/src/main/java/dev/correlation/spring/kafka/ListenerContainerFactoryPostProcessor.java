package dev.correlation.spring.kafka;

import dev.correlation.kafka.KafkaCorrelation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Makes sure every Kafka listener container factory bean of the context handles records in their
 * flow: Boot's, when the application has a {@code RecordInterceptor} bean of its own (Boot then
 * takes that one, and ours is not a bean, so as not to make Boot take neither), and factories the
 * application builds itself. The application's interceptor runs inside ours.
 */
final class ListenerContainerFactoryPostProcessor implements BeanPostProcessor {
  private final ObjectProvider<KafkaCorrelation> kafka;

  ListenerContainerFactoryPostProcessor(ObjectProvider<KafkaCorrelation> kafka) {
    this.kafka = kafka;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"}) // a factory's key and value types are erased
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof AbstractKafkaListenerContainerFactory) {
      AbstractKafkaListenerContainerFactory factory = (AbstractKafkaListenerContainerFactory) bean;
      RecordInterceptor existing = factory.getRecordInterceptor();
      if (!(existing instanceof CorrelationRecordInterceptor)) {
        RecordInterceptor ours = CorrelationRecordInterceptor.create(kafka.getObject());
        factory.setRecordInterceptor(existing == null
            ? ours : new CompositeRecordInterceptor(ours, existing));
      }
    }
    return bean;
  }

  @Override
  public String toString() {
    return "ListenerContainerFactoryPostProcessor";
  }
}
