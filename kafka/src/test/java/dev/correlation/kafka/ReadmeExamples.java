package dev.correlation.kafka;

import dev.correlation.Correlation;
import dev.correlation.Scope;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's Kafka snippets, as they are there, so that the build compiles them against the
 * current API; the it module's ReadmeExamplesTest checks that the README still says the same. Not
 * run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);
  private final org.apache.kafka.clients.consumer.Consumer<String, String> consumer;
  private final Producer<String, String> producer;
  private volatile boolean running = true;

  ReadmeExamples(org.apache.kafka.clients.consumer.Consumer<String, String> consumer,
      Producer<String, String> producer) {
    this.consumer = consumer;
    this.producer = producer;
  }

  void consumerWrapTheRecordHandler() {
    KafkaCorrelation kafka = KafkaCorrelation.create();    // or create(CorrelationConfig)
    Consumer<ConsumerRecord<String, String>> handler = kafka.wrap(record -> {
      log.info("charging {}", record.key());                // MDC: correlation_id, message_id, causation_id
      producer.send(new ProducerRecord<>("payments", record.key(), "charge"));   // same flow, cause = this record
    });

    while (running) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
        handler.accept(record);
      }
    }
  }

  void openTheRecordsContextYourself(KafkaCorrelation kafka, ConsumerRecord<String, String> record) {
    Correlation.runWith(kafka.context(record), () -> handle(record));

    Scope scope = kafka.open(record);          // for code that throws checked exceptions
    try { handle(record); } finally { scope.close(); }
  }

  void seekBackToAFailedRecord() {
    KafkaCorrelation kafka = KafkaCorrelation.builder()
        .errorHook((record, e) -> log.error("payment failed at offset {}", record.offset(), e))
        .build();                                    // the error line carries the record's flow
    Consumer<ConsumerRecord<String, String>> handler = kafka.wrap(this::charge);

    while (running) {
      ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
      for (TopicPartition partition : records.partitions()) {
        for (ConsumerRecord<String, String> record : records.records(partition)) {
          try {
            handler.accept(record);
          } catch (RuntimeException e) {
            consumer.seek(partition, record.offset());   // it, and the rest of its partition, come again
            break;                                       // other partitions go on
          }
        }
      }
      consumer.commitSync();                             // the positions: past handled records only
    }
  }

  void batchHelper(KafkaCorrelation kafka) {
    kafka.forEach(consumer.poll(Duration.ofMillis(500)), record -> handle(record));
  }

  void fromTheConsumersProperties(Map<String, Object> consumerConfig) {
    KafkaCorrelation kafka = KafkaCorrelation.fromMap(consumerConfig);   // its correlation.* keys; the rest is ignored
  }

  private void handle(ConsumerRecord<String, String> record) {}

  private void charge(ConsumerRecord<String, String> record) {}
}
