package dev.correlation.it.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.it.BrokerSource;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {
  @Test
  void isOneBrokerPerJvmThatCarriesRecords() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = KafkaClients.newTopic("smoke", 2);

    try (KafkaProducer<String, String> producer = KafkaClients.plainProducer();
        KafkaConsumer<String, String> consumer = KafkaClients.consumer(topic)) {
      producer.send(new ProducerRecord<>(topic, 1, "k", "hello")).get();
      List<ConsumerRecord<String, String>> records = KafkaClients.poll(consumer, 1);

      assertThat(records.get(0).value()).isEqualTo("hello");
      assertThat(records.get(0).partition()).isEqualTo(1);
    }
    assertThat(KafkaBroker.shared()).isSameAs(broker);
    if (broker.source() == BrokerSource.EMBEDDED) {
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
    }
  }
}
