package dev.correlation.spring;

import dev.correlation.Scope;
import dev.correlation.kafka.KafkaCorrelation;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The README's Spring Boot snippets for Spring Kafka, as they are there, so that the build compiles
 * them against the current API; the it module's ReadmeExamplesTest checks that the README still
 * says the same. The Spring AMQP and SQS snippets are in the ReadmeExamples of their packages (each
 * names its own {@code Message}). Not run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private final KafkaCorrelation kafkaCorrelation;

  ReadmeExamples(KafkaCorrelation kafkaCorrelation) {
    this.kafkaCorrelation = kafkaCorrelation;
  }

  @KafkaListener(topics = "orders", batch = "true")
  void onOrders(List<ConsumerRecord<String, String>> records) {
    for (ConsumerRecord<String, String> record : records) {
      try (Scope scope = kafkaCorrelation.open(record)) {   // KafkaCorrelation bean
        handle(record);
      }
    }
  }

  private void handle(ConsumerRecord<String, String> record) {}
}
