package dev.correlation.it.kafka;

import static dev.correlation.it.kafka.KafkaClients.consumer;
import static dev.correlation.it.kafka.KafkaClients.newTopic;
import static dev.correlation.it.kafka.KafkaClients.poll;
import static dev.correlation.it.kafka.KafkaClients.send;
import static dev.correlation.it.kafka.KafkaClients.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.testing.LogCapture;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The interceptor in the producer set-ups applications run: transactions, idempotence, files. */
class KafkaProducerSetupIT {
  private static final Map<String, Object> READ_COMMITTED =
      Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

  @Test
  void transactionalProducerCarriesTheFlowOfCommittedRecordsOnly() {
    String topic = newTopic("tx-orders", 1);
    try (KafkaProducer<String, String> producer = KafkaClients.producer(Map.of(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "correlation-it-" + topic,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
      producer.initTransactions();
      Correlation.runWith("tx-aborted", () -> {
        producer.beginTransaction();
        send(producer, new ProducerRecord<>(topic, "o-0", "aborted"));
        producer.abortTransaction();
      });
      Correlation.runWith("tx-order-1", () -> {
        producer.beginTransaction();
        send(producer, new ProducerRecord<>(topic, "o-1", "first"));
        send(producer, new ProducerRecord<>(topic, "o-2", "second"));
        producer.commitTransaction();
      });
    }

    try (KafkaConsumer<String, String> consumer = consumer(topic, READ_COMMITTED)) {
      List<ConsumerRecord<String, String>> records = poll(consumer, 2);

      assertThat(records).extracting(ConsumerRecord::value).containsExactly("first", "second");
      assertThat(records).allSatisfy(r -> {
        assertThat(values(r.headers(), "X-Correlation-ID")).containsExactly("tx-order-1");
        assertThat(KafkaCorrelation.create().context(r).correlationId()).isEqualTo("tx-order-1");
      });
      assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
    }
  }

  @Test
  void consumeTransformProduceInOneTransactionRecordsTheCause() {
    String orders = newTopic("tx-in", 1);
    String payments = newTopic("tx-out", 1);
    try (KafkaProducer<String, String> producer = KafkaClients.producer()) {
      Correlation.runWith("order-77", () -> send(producer, new ProducerRecord<>(orders, "o", "in")));
    }
    KafkaCorrelation kafka = KafkaCorrelation.create();
    AtomicReference<String> cause = new AtomicReference<>();

    try (KafkaConsumer<String, String> in = consumer(orders, Map.of(
            ConsumerConfig.GROUP_ID_CONFIG, "tx-group-" + orders));
        KafkaProducer<String, String> producer = KafkaClients.producer(Map.of(
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "correlation-it-" + orders))) {
      producer.initTransactions();
      List<ConsumerRecord<String, String>> received = poll(in, 1);
      producer.beginTransaction();
      kafka.<String, String>wrap(r -> {
        cause.set(Correlation.current().orElseThrow().messageId());
        producer.send(new ProducerRecord<>(payments, "p", "out"));
      }).accept(received.get(0));
      producer.sendOffsetsToTransaction(
          Map.of(new TopicPartition(orders, 0), new OffsetAndMetadata(received.get(0).offset() + 1)),
          in.groupMetadata());
      producer.commitTransaction();
    }

    try (KafkaConsumer<String, String> out = consumer(payments, READ_COMMITTED)) {
      ConsumerRecord<String, String> record = poll(out, 1).get(0);

      assertThat(cause.get()).isEqualTo(orders + "-0@0");
      assertThat(kafka.context(record))
          .isEqualTo(CorrelationContext.of("order-77", payments + "-0@" + record.offset(),
              orders + "-0@0"));
    }
  }

  @Test
  void idempotentProducerCarriesTheFlow() {
    String topic = newTopic("idempotent", 2);
    try (KafkaProducer<String, String> producer = KafkaClients.producer(Map.of(
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5))) {
      Correlation.runWith("order-5", () -> {
        for (int i = 0; i < 20; i++) {
          producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
        }
        producer.flush();
      });
    }

    try (KafkaConsumer<String, String> consumer = consumer(topic)) {
      assertThat(poll(consumer, 20)).allSatisfy(r ->
          assertThat(values(r.headers(), "X-Correlation-ID")).containsExactly("order-5"));
    }
  }

  @Test
  void interceptorIsConfiguredFromAPropertiesFileAlone() throws IOException {
    Properties file = load("kafka/correlation-producer.properties");
    file.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaClients.broker().bootstrapServers());
    String orders = newTopic("file-orders", 1);
    String payments = newTopic("file-payments", 1);
    Map<String, String> settings = new HashMap<>();
    for (String key : file.stringPropertyNames()) {
      settings.put(key, file.getProperty(key));
    }
    // The consumer side reads the same file, so both agree on the header names.
    KafkaCorrelation kafka = KafkaCorrelation.create(CorrelationConfig.fromMap(settings));

    List<String> configLog = new ArrayList<>();

    try (KafkaProducer<String, String> producer = withConfigLog(configLog,
            () -> new KafkaProducer<String, String>(file));
        KafkaConsumer<String, String> ordersIn = consumer(orders);
        KafkaConsumer<String, String> paymentsIn = consumer(payments)) {
      assertThat(configLog).as("Kafka's config log, where unused keys are reported")
          .anySatisfy(m -> assertThat(m).startsWith("ProducerConfig values:"))
          .noneSatisfy(m -> assertThat(m).contains("not used").contains("correlation."));

      send(producer, new ProducerRecord<>(orders, "o-1", "placed"));
      ConsumerRecord<String, String> first = poll(ordersIn, 1).get(0);
      kafka.<String, String>wrap(r -> send(producer, new ProducerRecord<>(payments, "p", "charge")))
          .accept(first);
      ConsumerRecord<String, String> second = poll(paymentsIn, 1).get(0);

      String id = values(first.headers(), "X-Request-ID").get(0);
      assertThat(id).matches("[0-9A-HJKMNP-TV-Z]{26}"); // a ULID, from correlation.generator
      assertThat(values(first.headers(), "X-Correlation-ID")).isEmpty();
      assertThat(values(second.headers(), "X-Request-ID")).containsExactly(id);
      assertThat(values(second.headers(), "X-Caused-By")).containsExactly(orders + "-0@0");
      assertThat(kafka.context(second).causationId()).isEqualTo(orders + "-0@0");
    }
  }

  /**
   * Runs {@code action} with Kafka's config logger at INFO (where it reports supplied but unused
   * keys), collecting what it logs, without printing it.
   */
  private static <T> T withConfigLog(List<String> messages, Supplier<T> action) {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AbstractConfig.class);
    Level level = logger.getLevel();
    boolean additive = logger.isAdditive();
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    try (LogCapture capture = new LogCapture(AbstractConfig.class)) {
      T result = action.get();
      capture.events().forEach(e -> messages.add(e.getFormattedMessage()));
      return result;
    } finally {
      logger.setLevel(level);
      logger.setAdditive(additive);
    }
  }

  @Test
  void unknownCorrelationKeyFailsTheProducerNamingTheKey() throws IOException {
    Properties file = load("kafka/correlation-producer.properties");
    file.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaClients.broker().bootstrapServers());
    file.put("correlation.header.nmae", "X-Typo");

    assertThatThrownBy(() -> new KafkaProducer<String, String>(file).close())
        .isInstanceOf(KafkaException.class)
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation.header.nmae");
  }

  private static Properties load(String resource) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = KafkaProducerSetupIT.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      properties.load(in);
    }
    return properties;
  }
}
