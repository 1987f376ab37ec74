package dev.correlation.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.kafka.CorrelationProducerInterceptor;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

class ProducerInterceptorCustomizerTest {
  private static final String OURS = CorrelationProducerInterceptor.class.getName();

  @Test
  void addsOursToAFactoryWithoutInterceptors() {
    DefaultKafkaProducerFactory<String, String> factory =
        new DefaultKafkaProducerFactory<>(Map.of("bootstrap.servers", "localhost:1"));
    new ProducerInterceptorCustomizer().customize(factory);
    assertThat(factory.getConfigurationProperties().get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG))
        .isEqualTo(List.of(OURS));
  }

  @Test
  void keepsTheApplicationsInterceptorsBeforeOurs() {
    assertThat(ProducerInterceptorCustomizer.withOurs("com.acme.A, com.acme.B"))
        .containsExactly("com.acme.A", "com.acme.B", OURS);
    assertThat(ProducerInterceptorCustomizer.withOurs(List.of(String.class)))
        .containsExactly(String.class, OURS);
    assertThat(ProducerInterceptorCustomizer.withOurs(String.class))
        .containsExactly(String.class, OURS);
  }

  @Test
  void addsOursOnlyOnce() {
    assertThat(ProducerInterceptorCustomizer.withOurs("com.acme.A," + OURS)).isNull();
    assertThat(ProducerInterceptorCustomizer.withOurs(
        List.of(CorrelationProducerInterceptor.class))).isNull();
  }
}
