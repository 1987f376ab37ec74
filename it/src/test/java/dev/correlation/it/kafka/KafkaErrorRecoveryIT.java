package dev.correlation.it.kafka;

import static dev.correlation.it.kafka.KafkaClients.consumer;
import static dev.correlation.it.kafka.KafkaClients.newTopic;
import static dev.correlation.it.kafka.KafkaClients.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's recipe for a handler that fails: the error hook logs the failure inside the
 * record's flow, and the poll loop seeks back to the failed offset, so the record and the rest of
 * its partition come again at the next poll, each in its own flow; nothing is skipped, and only
 * handled offsets are committed.
 */
class KafkaErrorRecoveryIT {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaErrorRecoveryIT.class);

  @Test
  void seekingBackToTheFailedOffsetRedeliversItInItsFlowAndTheErrorLineCarriesTheId()
      throws Exception {
    String topic = newTopic("payments", 1);
    try (KafkaProducer<String, String> producer = KafkaClients.producer()) {
      for (int i = 0; i < 5; i++) {
        int n = i;
        Correlation.runWith("flow-" + n,
            () -> send(producer, new ProducerRecord<>(topic, "k", "payment-" + n)));
      }
    }
    List<String> handled = new ArrayList<>();
    boolean[] failedOnce = {false};
    KafkaCorrelation kafka = KafkaCorrelation.builder()
        .errorHook((record, error) -> LOG.error("payment failed at offset {}: {}",
            record.offset(), error.getMessage()))
        .build();
    // the application's handler: the third record fails the first time it is seen
    Consumer<ConsumerRecord<String, String>> handler = kafka.wrap(record -> {
      if (record.offset() == 2 && !failedOnce[0]) {
        failedOnce[0] = true;
        throw new IllegalStateException("card service unavailable");
      }
      handled.add(record.value() + "@" + Correlation.currentId());
    });

    try (LogCapture log = new LogCapture(KafkaErrorRecoveryIT.class);
        KafkaConsumer<String, String> consumer = consumer(topic,
            Map.of(ConsumerConfig.GROUP_ID_CONFIG, "recovery-" + UUID.randomUUID()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (handled.size() < 5 && System.nanoTime() - deadline < 0) {
        // --- the recipe, as in the README ---
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<String, String> record : records.records(partition)) {
            try {
              handler.accept(record);
            } catch (RuntimeException e) {
              consumer.seek(partition, record.offset()); // it, and the rest, come again
              break;
            }
          }
        }
        consumer.commitSync(); // the position: past handled records only
        // --- end of the recipe ---
      }

      assertThat(handled).containsExactly("payment-0@flow-0", "payment-1@flow-1",
          "payment-2@flow-2", "payment-3@flow-3", "payment-4@flow-4");
      assertThat(log.lines("%level %X{correlation_id} %X{message_id} %msg")).containsExactly(
          "ERROR flow-2 " + topic + "-0@2 payment failed at offset 2: card service unavailable");
      TopicPartition partition = new TopicPartition(topic, 0);
      OffsetAndMetadata committed = consumer.committed(java.util.Set.of(partition)).get(partition);
      assertThat(committed.offset()).isEqualTo(5);
    }
  }
}
