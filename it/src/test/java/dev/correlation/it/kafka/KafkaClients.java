package dev.correlation.it.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.kafka.CorrelationProducerInterceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Clients of the shared broker, wired as an application would wire them. */
final class KafkaClients {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaClients() {}

  static KafkaBroker broker() {
    return KafkaBroker.shared();
  }

  /** A new topic of its own for one test, so tests never see each other's records. */
  static String newTopic(String name, int partitions) {
    String topic = name + "-" + TOPICS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    broker().createTopic(topic, partitions);
    return topic;
  }

  /** A producer with the correlation interceptor: the one line of wiring. */
  static KafkaProducer<String, String> producer(Map<String, Object> extra) {
    Map<String, Object> props = base();
    props.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
        CorrelationProducerInterceptor.class.getName());
    props.putAll(extra);
    return new KafkaProducer<>(props);
  }

  static KafkaProducer<String, String> producer() {
    return producer(Map.of());
  }

  /** A producer without the interceptor: writes whatever headers the test gives it. */
  static KafkaProducer<String, String> plainProducer() {
    return new KafkaProducer<>(base());
  }

  private static Map<String, Object> base() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return props;
  }

  /** A consumer reading every partition of {@code topic} from the beginning (no group). */
  static KafkaConsumer<String, String> consumer(String topic, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker().bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putAll(extra);
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic, TIMEOUT)) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  static KafkaConsumer<String, String> consumer(String topic) {
    return consumer(topic, Map.of());
  }

  /** Sends and waits for the broker's acknowledgement, as a test needs the record to be there. */
  static RecordMetadata send(Producer<String, String> producer,
      ProducerRecord<String, String> record) {
    return get(producer.send(record));
  }

  /** Waits for a send's acknowledgement; fails with the broker's reason. */
  static RecordMetadata get(java.util.concurrent.Future<RecordMetadata> sent) {
    try {
      return sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("send failed", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("send not acknowledged", e);
    }
  }

  /** Every value of header {@code name}, in record order, as UTF-8 text. */
  static List<String> values(Headers headers, String name) {
    List<String> values = new ArrayList<>();
    for (Header header : headers.headers(name)) {
      values.add(new String(header.value(), StandardCharsets.UTF_8));
    }
    return values;
  }

  /** Polls until {@code count} records have arrived, in arrival order; fails after the timeout. */
  static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer,
      int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (records.size() < count && System.nanoTime() - deadline < 0) {
      ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
      batch.forEach(records::add);
    }
    assertThat(records).as("records received").hasSize(count);
    return records;
  }
}
