package dev.correlation.it.demo;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import dev.correlation.Correlation;
import dev.correlation.it.kafka.KafkaBroker;
import dev.correlation.it.rabbitmq.AmqpBroker;
import dev.correlation.it.sqs.SqsBroker;
import dev.correlation.kafka.CorrelationProducerInterceptor;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.rabbitmq.RabbitCorrelation;
import dev.correlation.sqs.SqsCorrelation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Four small services in one JVM, each with its own threads, wired the way the README says, or
 * not wired at all ({@code withLibrary = false}, the "before" picture):
 *
 * <ol>
 *   <li><b>A-web</b> accepts an order at the edge (a web pool) and produces it to Kafka;
 *   <li><b>B-payments</b> consumes it (a poll thread), hops through its own pool and publishes a
 *       payment event to RabbitMQ;
 *   <li><b>C-shipping</b> consumes that (the AMQP client's consumer threads) and queues an SQS entry
 *       that a flusher thread sends in batches of up to ten;
 *   <li><b>D-notify</b> receives from SQS (a poll thread) and notifies the customer.
 * </ol>
 *
 * Every service logs through SLF4J to loggers under {@code shop.}; each message names its order.
 */
public final class ShopFlow implements AutoCloseable {
  /** Parent of the four services' loggers. */
  public static final String LOGGER_PREFIX = "shop";
  private static final Logger WEB = LoggerFactory.getLogger("shop.A-web");
  private static final Logger PAYMENTS = LoggerFactory.getLogger("shop.B-payments");
  private static final Logger SHIPPING = LoggerFactory.getLogger("shop.C-shipping");
  private static final Logger NOTIFY = LoggerFactory.getLogger("shop.D-notify");
  private static final String[] MDC_KEYS = {"correlation_id", "message_id", "causation_id"};
  private static final int WEB_THREADS = 4;
  private static final int PAYMENT_THREADS = 4;
  private static final int SHIPPING_THREADS = 2;

  private final boolean withLibrary;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> leaks = new CopyOnWriteArrayList<>();
  private final AtomicInteger notified = new AtomicInteger();
  private final AtomicInteger batches = new AtomicInteger();
  private final AtomicInteger entryIds = new AtomicInteger();
  private final Queue<SendMessageBatchRequestEntry> pendingSqs = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  private final ExecutorService webPool;
  private final ExecutorService paymentPool;
  private final ExecutorService shippingThreads;
  private final ScheduledExecutorService flusher;
  private final Thread paymentPoller;
  private final Thread notifyPoller;

  private final String topic = "orders-" + suffix;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final KafkaCorrelation kafka = KafkaCorrelation.create();
  private final Connection amqp;
  private final Channel publishChannel;
  private final String shippingQueue = "shipping-" + suffix;
  private final SqsClient sqs;
  private final SqsCorrelation sqsCorrelation = SqsCorrelation.create();
  private final String notifyQueueUrl;

  private ShopFlow(KafkaBroker kafkaBroker, AmqpBroker amqpBroker, SqsBroker sqsBroker,
      boolean withLibrary) throws Exception {
    this.withLibrary = withLibrary;
    webPool = pool(Executors.newFixedThreadPool(WEB_THREADS, named("A-web")));
    paymentPool = pool(Executors.newFixedThreadPool(PAYMENT_THREADS, named("B-pay")));
    shippingThreads = Executors.newFixedThreadPool(SHIPPING_THREADS, named("C-amqp"));
    flusher = Executors.newSingleThreadScheduledExecutor(named("C-flush"));

    kafkaBroker.createTopic(topic, 3);
    producer = new KafkaProducer<>(producerProperties(kafkaBroker));
    consumer = new KafkaConsumer<>(consumerProperties(kafkaBroker));
    consumer.subscribe(List.of(topic));

    amqp = amqpBroker.connect("shop-" + suffix, shippingThreads);
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    Channel publish = amqp.createChannel();
    publishChannel = withLibrary ? rabbit.wrap(publish) : publish;
    publishChannel.queueDeclare(shippingQueue, false, false, true, null);
    Channel consume = amqp.createChannel();
    Channel consumeChannel = withLibrary ? rabbit.wrap(consume) : consume;
    DeliverCallback shipping = (tag, delivery) ->
        ship(new String(delivery.getBody(), StandardCharsets.UTF_8));
    consumeChannel.basicConsume(shippingQueue, true, shipping, tag -> { });

    SqsClientBuilder sqsBuilder = sqsBroker.syncClient();
    if (withLibrary) {
      sqsBuilder.overrideConfiguration(o ->
          o.addExecutionInterceptor(sqsCorrelation.executionInterceptor()));
    }
    sqs = sqsBuilder.build();
    notifyQueueUrl = sqs.createQueue(b -> b.queueName("notify-" + suffix)).queueUrl();
    flusher.scheduleWithFixedDelay(this::flushSqs, 20, 20, TimeUnit.MILLISECONDS);

    paymentPoller = new Thread(this::pollKafka, "B-poll-" + suffix);
    notifyPoller = new Thread(this::pollSqs, "D-poll-" + suffix);
    paymentPoller.start();
    notifyPoller.start();
  }

  /**
   * Starts the four services on the given brokers.
   *
   * @param withLibrary false runs the same services with none of the library's wiring
   */
  public static ShopFlow start(KafkaBroker kafka, AmqpBroker amqp, SqsBroker sqs,
      boolean withLibrary) throws Exception {
    return new ShopFlow(kafka, amqp, sqs, withLibrary);
  }

  private ExecutorService pool(ExecutorService raw) {
    return withLibrary ? Correlation.wrap(raw) : raw;
  }

  private Properties producerProperties(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    if (withLibrary) { // the one line of Kafka wiring
      p.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
          CorrelationProducerInterceptor.class.getName());
    }
    return p;
  }

  private Properties consumerProperties(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "payments-" + suffix);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return p;
  }

  /** Service A: an order arrives at the edge; it starts a flow and goes to Kafka. */
  public void placeOrder(String order) {
    webPool.execute(() -> {
      if (withLibrary) {
        Correlation.runWith(Correlation.newId(), () -> accept(order));
      } else {
        accept(order);
      }
    });
  }

  private void accept(String order) {
    WEB.info("order {} accepted", order);
    producer.send(new ProducerRecord<>(topic, order, order));
  }

  /** Service B: the Kafka poll loop; each record hops through the payment pool to RabbitMQ. */
  private void pollKafka() {
    Consumer<ConsumerRecord<String, String>> handler = record -> {
      String order = record.value();
      PAYMENTS.info("payment requested for order {}", order);
      paymentPool.execute(() -> {
        PAYMENTS.info("card charged for order {}", order);
        try {
          synchronized (publishChannel) { // a channel is not for concurrent publishing
            publishChannel.basicPublish("", shippingQueue, null,
                order.getBytes(StandardCharsets.UTF_8));
          }
        } catch (java.io.IOException e) {
          PAYMENTS.error("could not publish order {}", order, e);
        }
      });
    };
    try {
      while (running) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
        if (withLibrary) {
          kafka.forEach(records, handler);
        } else {
          records.forEach(handler);
        }
        checkClean("B-poll");
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /** Service C: a shipping event from RabbitMQ becomes an SQS entry, sent in a batch later. */
  private void ship(String order) {
    SHIPPING.info("shipment booked for order {}", order);
    SendMessageBatchRequestEntry entry = SendMessageBatchRequestEntry.builder()
        .id("e" + entryIds.incrementAndGet())
        .messageBody(order)
        .build();
    // The entry is sent later, by the flusher, outside this flow: it takes the flow with it now.
    pendingSqs.add(withLibrary ? sqsCorrelation.decorate(entry) : entry);
  }

  private void flushSqs() {
    try {
      while (!pendingSqs.isEmpty()) {
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>(10);
        SendMessageBatchRequestEntry next;
        while (batch.size() < 10 && (next = pendingSqs.poll()) != null) {
          batch.add(next);
        }
        sqs.sendMessageBatch(b -> b.queueUrl(notifyQueueUrl).entries(batch));
        batches.incrementAndGet();
      }
    } catch (RuntimeException e) {
      SHIPPING.error("batch send failed", e);
    }
    checkClean("C-flush");
  }

  /** Service D: the SQS poll loop; each message is a notification. */
  private void pollSqs() {
    Consumer<Message> handler = message -> {
      NOTIFY.info("customer notified about order {}", message.body());
      sqs.deleteMessage(b -> b.queueUrl(notifyQueueUrl).receiptHandle(message.receiptHandle()));
      notified.incrementAndGet();
    };
    while (running) {
      try {
        ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(notifyQueueUrl)
            .maxNumberOfMessages(10).waitTimeSeconds(1));
        if (withLibrary) {
          sqsCorrelation.forEach(response, handler);
        } else {
          response.messages().forEach(handler);
        }
      } catch (RuntimeException e) {
        if (running) {
          NOTIFY.error("receive failed", e);
        }
      }
      checkClean("D-poll");
    }
  }

  /** A dedicated thread between two batches must hold no flow and none of its MDC keys. */
  private void checkClean(String where) {
    if (Correlation.currentId() != null) {
      leaks.add(where + " holds flow " + Correlation.currentId());
    }
    for (String key : MDC_KEYS) {
      if (MDC.get(key) != null) {
        leaks.add(where + " holds MDC " + key + "=" + MDC.get(key));
      }
    }
  }

  /** Waits until D has notified about {@code count} orders. */
  public boolean awaitNotified(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (notified.get() < count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** How many orders D has notified about. */
  public int notified() {
    return notified.get();
  }

  /** How many SQS batch sends C made. */
  public int batches() {
    return batches.get();
  }

  /** What the poll and flush threads found left on themselves between batches. */
  public List<String> leaks() {
    return List.copyOf(leaks);
  }

  /**
   * The pools whose threads handled flows (web, payments, AMQP consumer threads, flusher), each
   * with its number of threads, to visit every one.
   */
  public Map<ExecutorService, Integer> pools() {
    Map<ExecutorService, Integer> pools = new LinkedHashMap<>();
    pools.put(webPool, WEB_THREADS);
    pools.put(paymentPool, PAYMENT_THREADS);
    pools.put(shippingThreads, SHIPPING_THREADS);
    pools.put(flusher, 1);
    return pools;
  }

  @Override
  public void close() throws java.io.IOException {
    running = false;
    consumer.wakeup();
    try {
      paymentPoller.join(10_000);
      notifyPoller.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flusher.shutdownNow();
    webPool.shutdownNow();
    paymentPool.shutdownNow();
    producer.close(Duration.ofSeconds(5));
    amqp.close();
    shippingThreads.shutdownNow();
    try {
      sqs.deleteQueue(b -> b.queueUrl(notifyQueueUrl));
    } finally {
      sqs.close();
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
