package dev.correlation.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.spring.CorrelationAutoConfiguration;
import dev.correlation.testing.CleanThreadExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.RecordInterceptor;

/** Boot's real Kafka auto-configuration: what ends up on its listener container factory. */
@ExtendWith(CleanThreadExtension.class)
class KafkaListenerFactoryTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CorrelationAutoConfiguration.class,
          CorrelationKafkaAutoConfiguration.class, KafkaAutoConfiguration.class));

  private static ConsumerRecord<Object, Object> record(String flow) {
    ConsumerRecord<Object, Object> record = new ConsumerRecord<>("orders", 0, 3L, "k", "v");
    record.headers().add("X-Correlation-ID", flow.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  @SuppressWarnings("unchecked")
  private static RecordInterceptor<Object, Object> interceptorOf(
      ConcurrentKafkaListenerContainerFactory<?, ?> factory) {
    return (RecordInterceptor<Object, Object>) factory.getRecordInterceptor();
  }

  @Test
  void bootsFactoryGetsOurInterceptor() {
    runner.run(context -> {
      ConcurrentKafkaListenerContainerFactory<?, ?> factory =
          context.getBean(ConcurrentKafkaListenerContainerFactory.class);
      assertThat(factory.getRecordInterceptor()).isInstanceOf(CorrelationRecordInterceptor.class);
    });
  }

  @Test
  void applicationsOwnInterceptorRunsInsideTheRecordsFlow() {
    List<String> seenByTheirs = new CopyOnWriteArrayList<>();
    RecordInterceptor<Object, Object> theirs = new RecordInterceptor<>() {
      @Override
      public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
          Consumer<Object, Object> consumer) {
        seenByTheirs.add(Correlation.currentId());
        return record;
      }
    };
    runner.withBean("theirs", RecordInterceptor.class, () -> theirs).run(context -> {
      RecordInterceptor<Object, Object> onFactory =
          interceptorOf(context.getBean(ConcurrentKafkaListenerContainerFactory.class));
      ConsumerRecord<Object, Object> record = record("flow-1");
      onFactory.intercept(record, null);
      assertThat(Correlation.currentId()).isEqualTo("flow-1");
      onFactory.afterRecord(record, null);
      assertThat(seenByTheirs).containsExactly("flow-1");
    });
  }
}
