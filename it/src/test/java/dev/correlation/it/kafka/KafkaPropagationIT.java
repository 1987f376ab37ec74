package dev.correlation.it.kafka;

import static dev.correlation.it.kafka.KafkaClients.consumer;
import static dev.correlation.it.kafka.KafkaClients.newTopic;
import static dev.correlation.it.kafka.KafkaClients.poll;
import static dev.correlation.it.kafka.KafkaClients.send;
import static dev.correlation.it.kafka.KafkaClients.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.testing.LogCapture;
import dev.correlation.testing.ThreadChecks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The correlation ID and the causation chain through a real Kafka broker. */
class KafkaPropagationIT {
  private static final Logger HANDLER_LOG =
      LoggerFactory.getLogger("dev.correlation.it.kafka.OrderHandler");
  private static KafkaProducer<String, String> producer;
  private final KafkaCorrelation kafka = KafkaCorrelation.create();

  @BeforeAll
  static void startProducer() {
    producer = KafkaClients.producer();
  }

  @AfterAll
  static void closeProducer() {
    producer.close();
  }

  @Test
  void handlerSeesTheFlowTheRecordWasProducedIn() {
    String topic = newTopic("orders", 1);
    Correlation.runWith("order-42",
        () -> send(producer, new ProducerRecord<>(topic, "o-1", "placed")));

    try (KafkaConsumer<String, String> consumer = consumer(topic);
        LogCapture log = new LogCapture(HANDLER_LOG.getName())) {
      ConsumerRecord<String, String> record = poll(consumer, 1).get(0);
      AtomicReference<CorrelationContext> seen = new AtomicReference<>();
      Consumer<ConsumerRecord<String, String>> handler = kafka.wrap(r -> {
        seen.set(Correlation.current().orElseThrow());
        HANDLER_LOG.info("handling {}", r.value());
      });

      handler.accept(record);

      String messageId = topic + "-0@" + record.offset();
      assertThat(values(record.headers(), "X-Correlation-ID")).containsExactly("order-42");
      assertThat(values(record.headers(), "X-Causation-ID")).isEmpty();
      assertThat(seen.get()).isEqualTo(CorrelationContext.of("order-42", messageId, null));
      assertThat(log.lines("%X{correlation_id} %X{message_id} [%X{causation_id}] %msg"))
          .containsExactly("order-42 " + messageId + " [] handling placed");
    }
  }

  @Test
  void secondHopKeepsTheFlowAndNamesTheFirstHopAsCause() {
    String orders = newTopic("orders", 2);
    String payments = newTopic("payments", 1);
    Correlation.runWith("order-42",
        () -> send(producer, new ProducerRecord<>(orders, 1, "o-1", "placed")));

    try (KafkaConsumer<String, String> ordersIn = consumer(orders);
        KafkaConsumer<String, String> paymentsIn = consumer(payments)) {
      ConsumerRecord<String, String> hop1 = poll(ordersIn, 1).get(0);
      kafka.<String, String>wrap(r -> send(producer, new ProducerRecord<>(payments, "p-1", "charge")))
          .accept(hop1);
      ConsumerRecord<String, String> hop2 = poll(paymentsIn, 1).get(0);

      AtomicReference<CorrelationContext> seen = new AtomicReference<>();
      Correlation.runWith(kafka.context(hop2), () -> seen.set(Correlation.current().orElseThrow()));

      String hop1Id = orders + "-1@" + hop1.offset();
      assertThat(seen.get()).isEqualTo(
          CorrelationContext.of("order-42", payments + "-0@" + hop2.offset(), hop1Id));
      assertThat(values(hop2.headers(), "X-Causation-ID")).containsExactly(hop1Id);
    }
  }

  @Test
  void recordSentOutsideAnyFlowStartsOne() {
    String topic = newTopic("signups", 1);
    send(producer, new ProducerRecord<>(topic, "u-1", "signed up"));

    try (KafkaConsumer<String, String> consumer = consumer(topic)) {
      ConsumerRecord<String, String> record = poll(consumer, 1).get(0);

      List<String> ids = values(record.headers(), "X-Correlation-ID");
      assertThat(ids).hasSize(1);
      assertThat(UUID.fromString(ids.get(0)).toString()).isEqualTo(ids.get(0));
      assertThat(kafka.context(record).correlationId()).isEqualTo(ids.get(0));
      assertThat(values(record.headers(), "X-Causation-ID")).isEmpty();
    }
  }

  @Test
  void outsideAnyFlowKeepsAValidCallerSetHeaderByteForByte() {
    String topic = newTopic("orders", 1);
    byte[] callers = "Caller.Set-ID:1/2+3=".getBytes(StandardCharsets.UTF_8);
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, "o-1", "placed");
    record.headers().add("X-Correlation-ID", callers);
    send(producer, record);

    try (KafkaConsumer<String, String> consumer = consumer(topic)) {
      ConsumerRecord<String, String> received = poll(consumer, 1).get(0);

      assertThat(received.headers().headers("X-Correlation-ID")).singleElement()
          .satisfies(h -> assertThat(h.value()).isEqualTo(callers));
      assertThat(kafka.context(received).correlationId()).isEqualTo("Caller.Set-ID:1/2+3=");
    }
  }

  @Test
  void recordSentAgainAfterItsHeadersBecameReadOnlyStillGetsItsCause() {
    String orders = newTopic("orders", 1);
    String payments = newTopic("payments", 1);
    ProducerRecord<String, String> retried = new ProducerRecord<>(payments, "p-1", "charge");
    Correlation.runWith("order-1", () -> send(producer, retried));
    assertThatThrownBy(() -> retried.headers().add("probe", new byte[0]))
        .as("KafkaProducer leaves a sent record's headers read-only")
        .isInstanceOf(IllegalStateException.class);
    Correlation.runWith("order-2",
        () -> send(producer, new ProducerRecord<>(orders, "o-2", "placed")));

    try (KafkaConsumer<String, String> ordersIn = consumer(orders);
        KafkaConsumer<String, String> paymentsIn = consumer(payments)) {
      ConsumerRecord<String, String> hop = poll(ordersIn, 1).get(0);
      kafka.<String, String>wrap(r -> send(producer, retried)).accept(hop);
      List<ConsumerRecord<String, String>> sent = poll(paymentsIn, 2);

      assertThat(values(sent.get(0).headers(), "X-Correlation-ID")).containsExactly("order-1");
      assertThat(values(sent.get(0).headers(), "X-Causation-ID")).isEmpty();
      assertThat(sent.get(1).value()).isEqualTo("charge");
      assertThat(sent.get(1).key()).isEqualTo("p-1");
      // sent again from inside order-2's handler: the flow that sends it wins
      assertThat(values(sent.get(1).headers(), "X-Correlation-ID")).containsExactly("order-2");
      assertThat(values(sent.get(1).headers(), "X-Causation-ID"))
          .containsExactly(orders + "-0@" + hop.offset());
    }
  }

  @Test
  void threadPoolHopInsideTheHandlerKeepsTheFlowAndLeavesThreadsClean() throws Exception {
    String topic = newTopic("orders", 1);
    Correlation.runWith("order-42",
        () -> send(producer, new ProducerRecord<>(topic, "o-1", "placed")));
    ExecutorService threads = Executors.newFixedThreadPool(3);
    ExecutorService pool = Correlation.wrap(threads);

    try (KafkaConsumer<String, String> consumer = consumer(topic);
        LogCapture log = new LogCapture(HANDLER_LOG.getName())) {
      ConsumerRecord<String, String> record = poll(consumer, 1).get(0);
      String messageId = topic + "-0@" + record.offset();
      List<String> seen = new ArrayList<>();
      Set<String> workers = ConcurrentHashMap.newKeySet();

      kafka.<String, String>wrap(r -> {
        CyclicBarrier allThreads = new CyclicBarrier(3);
        List<Future<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          tasks.add(pool.submit(() -> {
            allThreads.await(10, TimeUnit.SECONDS); // one task per pool thread
            HANDLER_LOG.info("charging");
            workers.add(Thread.currentThread().getName());
            return Correlation.currentId() + " " + MDC.get("correlation_id") + " "
                + MDC.get("message_id");
          }));
        }
        tasks.add(CompletableFuture.supplyAsync(
            () -> Correlation.currentId() + " " + MDC.get("correlation_id") + " "
                + MDC.get("message_id"), pool));
        for (Future<String> task : tasks) {
          seen.add(get(task));
        }
      }).accept(record);

      assertThat(seen).hasSize(4).containsOnly("order-42 order-42 " + messageId);
      assertThat(workers).hasSize(3);
      assertThat(log.lines("%X{correlation_id} %msg")).hasSize(3).containsOnly("order-42 charging");
      ThreadChecks.assertPoolThreadsClean(threads, 3);
    } finally {
      threads.shutdownNow();
    }
  }


  private static String get(Future<String> task) {
    try {
      return task.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
