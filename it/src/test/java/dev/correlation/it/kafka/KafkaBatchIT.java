package dev.correlation.it.kafka;

import static dev.correlation.it.kafka.KafkaClients.consumer;
import static dev.correlation.it.kafka.KafkaClients.newTopic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.kafka.KafkaCorrelation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** One poll carrying many flows: the batch helper gives every record its own flow. */
class KafkaBatchIT {
  private static final int FLOWS = 50;
  private static final int RECORDS = 500;
  private static final int PARTITIONS = 3;

  @Test
  void eachRecordOfAFiveHundredRecordPollIsHandledInItsOwnFlow() {
    String topic = newTopic("batch", PARTITIONS);
    try (KafkaProducer<String, String> producer = KafkaClients.producer()) {
      List<Future<RecordMetadata>> sent = new ArrayList<>(RECORDS);
      for (int i = 0; i < RECORDS; i++) {
        String flow = "flow-" + (i % FLOWS); // consecutive records belong to different flows
        ProducerRecord<String, String> record =
            new ProducerRecord<>(topic, i % PARTITIONS, "k" + i, flow);
        Correlation.runWith(flow, () -> sent.add(producer.send(record)));
      }
      producer.flush();
      for (Future<RecordMetadata> future : sent) { // all 500 are on the broker, or say why not
        KafkaClients.get(future);
      }
    }
    KafkaCorrelation kafka = KafkaCorrelation.create();
    Map<String, Integer> perFlow = new TreeMap<>();
    List<String> order = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();

    try (KafkaConsumer<String, String> consumer = consumer(topic, Map.of(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, RECORDS,
        // everything is on the broker already; room for all of it in one fetch
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024,
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024))) {
      ConsumerRecords<String, String> poll = firstNonEmptyPoll(consumer);
      assertThat(poll.count()).as("records in one poll").isEqualTo(RECORDS);
      assertThat(poll.partitions()).hasSize(PARTITIONS);

      Correlation.runWith("poll-loop", () -> {
        kafka.forEach(poll, record -> {
          CorrelationContext context = Correlation.current().orElseThrow();
          String expectedMessageId = topic + "-" + record.partition() + "@" + record.offset();
          if (!record.value().equals(context.correlationId())
              || !record.value().equals(MDC.get("correlation_id"))
              || !expectedMessageId.equals(context.messageId())
              || !expectedMessageId.equals(MDC.get("message_id"))
              || context.causationId() != null) {
            mismatches.add(record + " handled in " + context);
          }
          perFlow.merge(context.correlationId(), 1, Integer::sum);
          order.add(context.correlationId());
        });
        assertThat(Correlation.currentId()).isEqualTo("poll-loop");
        assertThat(MDC.get("message_id")).isNull();
      });
    }

    assertThat(mismatches).isEmpty();
    assertThat(perFlow).hasSize(FLOWS).allSatisfy((flow, count) -> assertThat(count).isEqualTo(10));
    int switches = 0;
    for (int i = 1; i < order.size(); i++) {
      switches += order.get(i).equals(order.get(i - 1)) ? 0 : 1;
    }
    assertThat(switches).as("flow changes between consecutive records").isGreaterThan(RECORDS - 10);
  }

  private static ConsumerRecords<String, String> firstNonEmptyPoll(
      KafkaConsumer<String, String> consumer) {
    long deadline = System.nanoTime() + KafkaClients.TIMEOUT.toNanos();
    ConsumerRecords<String, String> poll = consumer.poll(Duration.ofSeconds(5));
    while (poll.isEmpty() && System.nanoTime() - deadline < 0) {
      poll = consumer.poll(Duration.ofSeconds(5));
    }
    return poll;
  }
}
