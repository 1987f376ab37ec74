package dev.correlation.spring.sqs;

import io.awspring.cloud.sqs.support.converter.AbstractMessagingMessageConverter;
import io.awspring.cloud.sqs.support.converter.SqsHeaderMapper;
import io.awspring.cloud.sqs.support.converter.SqsMessagingMessageConverter;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Gives the SQS message converter beans of the context (the one Spring Cloud AWS makes for
 * {@code SqsTemplate} and the listener containers, Jackson 3 or legacy Jackson 2, or the
 * application's own of those classes) Spring's default header mapper wrapped by
 * {@link SpringSqsCorrelation#headerMapper}. Those exact classes only: a converter has no getter
 * for its mapper, and a subclass may have set its own; an application with its own mapper wraps it
 * itself.
 */
final class MessageConverterPostProcessor implements BeanPostProcessor {
  /** Spring Cloud AWS's converters, both on {@link SqsHeaderMapper} unless told otherwise. */
  private static final Set<String> CONVERTERS = Set.of(
      SqsMessagingMessageConverter.class.getName(),
      "io.awspring.cloud.sqs.support.converter.legacy.LegacyJackson2SqsMessagingMessageConverter");

  private final ObjectProvider<SpringSqsCorrelation> sqs;

  MessageConverterPostProcessor(ObjectProvider<SpringSqsCorrelation> sqs) {
    this.sqs = sqs;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof AbstractMessagingMessageConverter
        && CONVERTERS.contains(bean.getClass().getName())) {
      @SuppressWarnings("unchecked") // both classes convert SQS messages
      AbstractMessagingMessageConverter<Message> converter =
          (AbstractMessagingMessageConverter<Message>) bean;
      converter.setHeaderMapper(sqs.getObject().headerMapper(new SqsHeaderMapper()));
    }
    return bean;
  }

  @Override
  public String toString() {
    return "MessageConverterPostProcessor";
  }
}
