package dev.correlation.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Two hops through Kafka's mock clients, wired as an application wires the real ones: the
 * interceptor in front of every send, the batch helper around every poll.
 */
class MockClientsRoundTripTest {
  private final CorrelationProducerInterceptor<String, String> interceptor =
      new CorrelationProducerInterceptor<>();
  private final MockProducer<String, String> producer =
      new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
  private final KafkaCorrelation kafka = KafkaCorrelation.create();

  @Test
  void carriesTheFlowAndTheCausationChainAcrossTwoHops() {
    interceptor.configure(Map.of("bootstrap.servers", "localhost:9092"));
    Correlation.runWith("order-42", () -> send(new ProducerRecord<>("orders", 0, "o", "placed")));

    List<CorrelationContext> hop1 = new ArrayList<>();
    kafka.forEach(deliver("orders", 0).poll(Duration.ofMillis(10)), record -> {
      hop1.add(Correlation.current().orElseThrow());
      send(new ProducerRecord<>("payments", 0, "p", "requested"));
    });

    List<CorrelationContext> hop2 = new ArrayList<>();
    kafka.forEach(deliver("payments", 1).poll(Duration.ofMillis(10)),
        record -> hop2.add(Correlation.current().orElseThrow()));

    assertThat(hop1).containsExactly(CorrelationContext.of("order-42", "orders-0@0", null));
    assertThat(hop2).containsExactly(CorrelationContext.of("order-42", "payments-0@0", "orders-0@0"));
  }

  private void send(ProducerRecord<String, String> record) {
    producer.send(interceptor.onSend(record)); // what KafkaProducer.send does with interceptors
  }

  /** What the broker would deliver: the last sent record of {@code topic}, at offset 0. */
  private MockConsumer<String, String> deliver(String topic, int historyIndex) {
    ProducerRecord<String, String> sent = producer.history().get(historyIndex);
    assertThat(sent.topic()).isEqualTo(topic);
    TopicPartition tp = new TopicPartition(topic, sent.partition());
    MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    consumer.assign(List.of(tp));
    consumer.updateBeginningOffsets(Map.of(tp, 0L));
    ConsumerRecord<String, String> received =
        new ConsumerRecord<>(topic, sent.partition(), 0L, sent.key(), sent.value());
    for (Header header : sent.headers()) {
      received.headers().add(header);
    }
    consumer.addRecord(received);
    return consumer;
  }
}
