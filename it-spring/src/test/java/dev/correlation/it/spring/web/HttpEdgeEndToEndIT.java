package dev.correlation.it.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.correlation.it.kafka.KafkaBroker;
import dev.correlation.it.rabbitmq.AmqpBroker;
import dev.correlation.it.sqs.SqsBroker;
import dev.correlation.kafka.CorrelationProducerInterceptor;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.rabbitmq.RabbitCorrelation;
import dev.correlation.sqs.SqsCorrelation;
import dev.correlation.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The four-service shape of {@code EndToEndFlowIT}, with a Spring Boot web application as the
 * HTTP edge: a browser's request with its own valid {@code X-Correlation-ID} enters service A
 * (Spring MVC on Tomcat, the auto-configured filter), goes to Kafka, service B hands it to RabbitMQ,
 * service C to SQS, and service D, handling the SQS message, calls A back over HTTP with the
 * auto-configured {@code RestClient}. Every log line of every hop carries the caller's ID; the
 * call back carries D's SQS message as its cause. Real brokers, real server, real HTTP client.
 */
class HttpEdgeEndToEndIT {
  private static final int FLOWS = 10;
  private static final Logger WEB = LoggerFactory.getLogger("shop.A-web");
  private static final Logger PAYMENTS = LoggerFactory.getLogger("shop.B-payments");
  private static final Logger SHIPPING = LoggerFactory.getLogger("shop.C-shipping");
  private static final Logger NOTIFY = LoggerFactory.getLogger("shop.D-notify");

  static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  static final String TOPIC = "web-orders-" + SUFFIX;
  static volatile KafkaProducer<String, String> producer;
  static final CountDownLatch DELIVERED = new CountDownLatch(FLOWS);
  static volatile boolean running;

  @Test
  void callersIdKeepsItsFlowThroughKafkaRabbitMqSqsAndBackOverHttp() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    AmqpBroker amqp = AmqpBroker.shared();
    SqsBroker sqsBroker = SqsBroker.shared();
    kafka.createTopic(TOPIC, 3);
    producer = new KafkaProducer<>(producerProperties(kafka));

    ExecutorService amqpThreads = Executors.newFixedThreadPool(2);
    List<String> failures = new CopyOnWriteArrayList<>();
    SqsCorrelation sqsCorrelation = SqsCorrelation.create();
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    KafkaCorrelation kafkaCorrelation = KafkaCorrelation.create();
    String shippingQueue = "web-shipping-" + SUFFIX;

    ConfigurableApplicationContext web = new SpringApplicationBuilder(WebShop.class)
        .web(WebApplicationType.SERVLET)
        .properties("server.port=0", "spring.main.banner-mode=off", "logging.level.shop=INFO",
            // service A has no SQS of its own (D uses the raw client); Spring Cloud AWS is on
            // this module's class path for the Spring SQS tests
            "spring.cloud.aws.sqs.enabled=false")
        .run();
    Thread paymentPoller = null;
    Thread notifyPoller = null;
    KafkaConsumer<String, String> consumer = null;
    Connection connection = null;
    running = true;
    try (LogCapture logs = new LogCapture("shop");
        SqsClient sqs = sqsBroker.syncClient().overrideConfiguration(o ->
            o.addExecutionInterceptor(sqsCorrelation.executionInterceptor())).build()) {
      int port = ((WebServerApplicationContext) web).getWebServer().getPort();
      RestClient restClient = web.getBean(RestClient.Builder.class)
          .baseUrl("http://127.0.0.1:" + port).build();
      String notifyQueueUrl = sqs.createQueue(b -> b.queueName("web-notify-" + SUFFIX))
          .queueUrl();

      // C: RabbitMQ -> SQS
      connection = amqp.connect("web-shop-" + SUFFIX, amqpThreads);
      Channel publish = rabbit.wrap(connection.createChannel());
      publish.queueDeclare(shippingQueue, false, false, true, null);
      Channel consume = rabbit.wrap(connection.createChannel());
      consume.basicConsume(shippingQueue, true, (tag, delivery) -> {
        String order = new String(delivery.getBody(), StandardCharsets.UTF_8);
        SHIPPING.info("shipment booked for order {}", order);
        sqs.sendMessage(b -> b.queueUrl(notifyQueueUrl).messageBody(order));
      }, tag -> { });

      // B: Kafka -> RabbitMQ
      consumer = new KafkaConsumer<>(consumerProperties(kafka));
      consumer.subscribe(List.of(TOPIC));
      KafkaConsumer<String, String> polling = consumer;
      paymentPoller = new Thread(() -> {
        try {
          while (running) {
            kafkaCorrelation.forEach(polling.poll(Duration.ofMillis(100)), record -> {
              PAYMENTS.info("payment requested for order {}", record.value());
              try {
                synchronized (publish) {
                  publish.basicPublish("", shippingQueue, null,
                      record.value().getBytes(StandardCharsets.UTF_8));
                }
              } catch (java.io.IOException e) {
                failures.add("publish " + e);
              }
            });
          }
        } catch (WakeupException e) {
          // closing
        }
      }, "B-poll-" + SUFFIX);
      paymentPoller.start();

      // D: SQS -> HTTP call back to A, through the auto-configured RestClient
      notifyPoller = new Thread(() -> {
        while (running) {
          try {
            ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(notifyQueueUrl)
                .maxNumberOfMessages(10).waitTimeSeconds(1));
            sqsCorrelation.forEach(response, message -> {
              NOTIFY.info("customer notified about order {}", message.body());
              restClient.post().uri("/deliveries/{order}", message.body()).retrieve()
                  .toBodilessEntity();
              sqs.deleteMessage(b -> b.queueUrl(notifyQueueUrl)
                  .receiptHandle(message.receiptHandle()));
            });
          } catch (RuntimeException e) {
            if (running) {
              failures.add("notify " + e);
            }
          }
        }
      }, "D-poll-" + SUFFIX);
      notifyPoller.start();

      // the browser: FLOWS requests at once, each with its own valid ID
      HttpClient browser = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < FLOWS; i++) {
        sent.add(browser.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/orders/order-" + i))
            .header("X-Correlation-ID", "checkout-" + i + "-" + SUFFIX)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < FLOWS; i++) {
        HttpResponse<String> response = sent.get(i).get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("X-Correlation-ID"))
            .hasValue("checkout-" + i + "-" + SUFFIX);
      }
      assertThat(DELIVERED.await(60, TimeUnit.SECONDS))
          .as("all %d orders come back to A over HTTP; failures: %s", FLOWS, failures).isTrue();
      assertThat(failures).isEmpty();

      Map<String, List<ILoggingEvent>> byOrder = logs.events().stream()
          .collect(Collectors.groupingBy(e -> e.getArgumentArray()[0].toString()));
      assertThat(byOrder).hasSize(FLOWS);
      for (int i = 0; i < FLOWS; i++) {
        String id = "checkout-" + i + "-" + SUFFIX;
        List<ILoggingEvent> flow = byOrder.get("order-" + i);
        assertThat(flow).extracting(ILoggingEvent::getLoggerName).as("hops of order-%d", i)
            .containsExactlyInAnyOrder("shop.A-web", "shop.B-payments", "shop.C-shipping",
                "shop.D-notify", "shop.A-web");
        assertThat(flow).allSatisfy(e -> assertThat(e.getMDCPropertyMap())
            .as("%s", e.getFormattedMessage()).containsEntry("correlation_id", id));
        ILoggingEvent notified = only(flow, "customer notified");
        ILoggingEvent delivered = only(flow, "delivered");
        assertThat(notified.getMDCPropertyMap().get("message_id")).as("D's SQS MessageId")
            .isNotBlank();
        assertThat(delivered.getMDCPropertyMap()).as("the call back names D's message as cause")
            .containsEntry("causation_id", notified.getMDCPropertyMap().get("message_id"));
      }
      // what the README's Spring demo command shows: every line of the flows, as logged
      System.out.println("\n-- Spring services, " + FLOWS + " orders at once (%X{correlation_id}"
          + " %X{message_id} %X{causation_id} in the pattern) --");
      for (String line : logs.lines("  %-16logger{0} [c=%X{correlation_id} m=%X{message_id}"
          + " cause=%X{causation_id}] %msg")) {
        System.out.println(line);
      }
    } finally {
      running = false;
      if (consumer != null) {
        consumer.wakeup();
      }
      join(paymentPoller);
      join(notifyPoller);
      if (consumer != null) {
        consumer.close();
      }
      if (connection != null) {
        connection.close();
      }
      amqpThreads.shutdownNow();
      producer.close();
      web.close();
    }
  }

  private static ILoggingEvent only(List<ILoggingEvent> flow, String text) {
    List<ILoggingEvent> found = flow.stream()
        .filter(e -> e.getFormattedMessage().contains(text)).collect(Collectors.toList());
    assertThat(found).as("lines with '%s' in %s", text, flow).hasSize(1);
    return found.get(0);
  }

  private static void join(Thread thread) throws InterruptedException {
    if (thread != null) {
      thread.join(30_000);
    }
  }

  private static Properties producerProperties(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, CorrelationProducerInterceptor.class.getName());
    return p;
  }

  private static Properties consumerProperties(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "web-payments-" + SUFFIX);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return p;
  }

  /** Service A: the web shop, a Spring Boot MVC application with the library's auto-configuration. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Orders.class)
  static class WebShop {
  }

  @RestController
  static class Orders {
    @PostMapping("/orders/{order}")
    ResponseEntity<String> accept(@PathVariable("order") String order) {
      WEB.info("order {} accepted", order);
      producer.send(new ProducerRecord<>(TOPIC, order, order));
      return ResponseEntity.accepted().body("accepted");
    }

    @PostMapping("/deliveries/{order}")
    ResponseEntity<Void> delivered(@PathVariable("order") String order) {
      WEB.info("order {} delivered", order);
      DELIVERED.countDown();
      return ResponseEntity.noContent().build();
    }
  }
}
