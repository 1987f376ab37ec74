package dev.correlation.spring.kafka;

import dev.correlation.kafka.CorrelationProducerInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * Adds {@link CorrelationProducerInterceptor} to the {@code interceptor.classes} of Boot's producer
 * factory, after the interceptors the application configured (a list, a comma-separated string or
 * a class), and only once.
 */
final class ProducerInterceptorCustomizer implements DefaultKafkaProducerFactoryCustomizer {
  private static final String OURS = CorrelationProducerInterceptor.class.getName();

  @Override
  public void customize(DefaultKafkaProducerFactory<?, ?> factory) {
    Object configured =
        factory.getConfigurationProperties().get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
    List<Object> classes = withOurs(configured);
    if (classes != null) {
      factory.updateConfigs(Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, classes));
    }
  }

  /** The interceptor list with ours at the end, or null when ours is already there. */
  static @Nullable List<Object> withOurs(@Nullable Object configured) {
    List<Object> classes = new ArrayList<>();
    if (configured instanceof String) {
      for (String name : ((String) configured).split(",")) {
        if (!name.isBlank()) {
          classes.add(name.trim());
        }
      }
    } else if (configured instanceof List) {
      classes.addAll((List<?>) configured);
    } else if (configured != null) {
      classes.add(configured);
    }
    for (Object c : classes) {
      String name = c instanceof Class ? ((Class<?>) c).getName() : String.valueOf(c).trim();
      if (name.equals(OURS)) {
        return null;
      }
    }
    classes.add(OURS);
    return classes;
  }

  @Override
  public String toString() {
    return "ProducerInterceptorCustomizer";
  }
}
