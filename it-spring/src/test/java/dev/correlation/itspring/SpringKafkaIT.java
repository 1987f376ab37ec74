package dev.correlation.itspring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.Correlation;
import dev.correlation.Scope;
import dev.correlation.it.kafka.KafkaBroker;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.testing.CleanThreadExtension;
import dev.correlation.testing.LogCapture;
import dev.correlation.testing.ThreadChecks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * A Spring Boot application with {@code @KafkaListener}s and Boot's {@code KafkaTemplate} on the
 * in-JVM Kafka broker, set up with properties only: the module's auto-configuration does the rest.
 */
@ExtendWith(CleanThreadExtension.class)
class SpringKafkaIT {
  private static final Logger LOG = LoggerFactory.getLogger(SpringKafkaIT.class);
  private static final String RUN = Long.toString(System.nanoTime());
  static final String ORDERS = "spring-orders-" + RUN;
  static final String SHIPMENTS = "spring-shipments-" + RUN;
  static final String BATCH = "spring-batch-" + RUN;

  private static ConfigurableApplicationContext context;
  private static LogCapture logs;

  @BeforeAll
  static void start() {
    KafkaBroker kafka = KafkaBroker.shared();
    kafka.createTopic(ORDERS, 1);
    kafka.createTopic(SHIPMENTS, 1);
    kafka.createTopic(BATCH, 1);
    logs = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
    context = SpringApps.start(App.class, Map.of(
        "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
        "spring.kafka.consumer.group-id", "spring-it-" + RUN,
        "spring.kafka.consumer.auto-offset-reset", "earliest",
        "spring.kafka.listener.idle-event-interval", "200ms",
        "test.orders", ORDERS,
        "test.shipments", SHIPMENTS,
        "test.batch", BATCH));
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
    if (logs != null) {
      logs.close();
    }
  }

  @Test
  void listenerLineAndSendFromListenerCarryTheSendersFlowWithCausation() throws Exception {
    KafkaTemplate<Object, Object> template = template();
    String flow = "kafka-ok-" + RUN;
    Correlation.runWith(flow, () -> template.send(ORDERS, "order-" + flow));

    ILoggingEvent order = SpringApps.awaitEvent(logs::events,
        e -> e.getFormattedMessage().equals("order order-" + flow), "the order listener's line");
    assertThat(order.getMDCPropertyMap()).containsEntry("correlation_id", flow);
    String orderMessageId = order.getMDCPropertyMap().get("message_id");
    assertThat(orderMessageId).startsWith(ORDERS + "-0@");

    ILoggingEvent shipment = SpringApps.awaitEvent(logs::events,
        e -> e.getFormattedMessage().equals("shipment order-" + flow),
        "the shipment listener's line");
    assertThat(shipment.getMDCPropertyMap())
        .containsEntry("correlation_id", flow)
        .containsEntry("causation_id", orderMessageId);
    ConsumerRecord<?, ?> shipped = app().shipments.stream()
        .filter(r -> ("order-" + flow).equals(r.value())).findFirst().orElseThrow();
    assertThat(header(shipped, "X-Correlation-ID")).isEqualTo(flow);
    assertThat(header(shipped, "X-Causation-ID")).isEqualTo(orderMessageId);
  }

  @Test
  void errorHandlersLineCarriesTheFailedRecordsFlow() throws Exception {
    KafkaTemplate<Object, Object> template = template();
    String flow = "kafka-fail-" + RUN;
    Correlation.runWith(flow, () -> template.send(ORDERS, "fail-" + flow));

    ILoggingEvent failed = SpringApps.awaitEvent(logs::events,
        e -> e.getLevel() == Level.ERROR && e.getLoggerName().startsWith("org.springframework.kafka")
            && flow.equals(e.getMDCPropertyMap().get("correlation_id")),
        "the error handler's line");
    assertThat(failed.getMDCPropertyMap().get("message_id")).startsWith(ORDERS + "-0@");
    assertThat(logs.events()).as("the listener's own line before it threw")
        .anyMatch(e -> e.getFormattedMessage().equals("order fail-" + flow)
            && flow.equals(e.getMDCPropertyMap().get("correlation_id")));
  }

  @Test
  void batchListenerHandlesEachRecordInItsOwnFlow() throws Exception {
    KafkaTemplate<Object, Object> template = template();
    List<String> flows = List.of("batch-a-" + RUN, "batch-b-" + RUN, "batch-c-" + RUN);
    for (String flow : flows) {
      Correlation.runWith(flow, () -> template.send(BATCH, "item-" + flow));
    }
    template.flush();
    // all three are in the log before the container starts: one poll returns them together
    context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("batch").start();

    SpringApps.await("three batch lines", () -> batchLines().size() == 3);
    for (ILoggingEvent line : batchLines()) {
      String flow = line.getFormattedMessage().substring("batch item-".length());
      assertThat(line.getMDCPropertyMap()).containsEntry("correlation_id", flow);
    }
    assertThat(app().batches).as("flows per delivered batch")
        .anyMatch(batch -> batch.size() > 1);
  }

  @Test
  void consumerThreadsAreCleanBetweenPolls() throws Exception {
    listenerLineAndSendFromListenerCarryTheSendersFlowWithCausation();
    App app = app();
    app.idleStates.clear();
    SpringApps.await("idle events of both record containers after the flow",
        () -> app.idleStates.stream().map(s -> s.split(" ", 2)[0]).collect(Collectors.toSet())
            .containsAll(Set.of("orders", "shipments")));
    assertThat(app.idleStates).allMatch(s -> s.endsWith(" clean"));
  }

  private static List<ILoggingEvent> batchLines() {
    return logs.events().stream()
        .filter(e -> e.getFormattedMessage().startsWith("batch item-batch-")
            && e.getFormattedMessage().endsWith(RUN))
        .collect(Collectors.toList());
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static KafkaTemplate<Object, Object> template() {
    return context.getBean(KafkaTemplate.class);
  }

  private static App app() {
    return context.getBean(App.class);
  }

  /** The application under test: listeners as a user writes them, nothing of ours named. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    final List<ConsumerRecord<?, ?>> shipments = new CopyOnWriteArrayList<>();
    final List<Set<String>> batches = new CopyOnWriteArrayList<>();
    final List<String> idleStates = new CopyOnWriteArrayList<>();
    private final KafkaTemplate<Object, Object> template;
    private final KafkaCorrelation kafka;

    App(KafkaTemplate<Object, Object> template, KafkaCorrelation kafka) {
      this.template = template;
      this.kafka = kafka;
    }

    /** One attempt, then the recoverer logs the failure: the line under test. */
    @Bean
    CommonErrorHandler errorHandler() {
      return new DefaultErrorHandler(new FixedBackOff(0, 0));
    }

    @KafkaListener(id = "orders", topics = "${test.orders}")
    void onOrder(ConsumerRecord<String, String> record) throws Exception {
      LOG.info("order {}", record.value());
      if (record.value().startsWith("fail-")) {
        throw new IllegalStateException("order rejected");
      }
      template.send(SHIPMENTS, record.value()).get(30, TimeUnit.SECONDS);
    }

    @KafkaListener(id = "shipments", topics = "${test.shipments}")
    void onShipment(ConsumerRecord<String, String> record) {
      LOG.info("shipment {}", record.value());
      shipments.add(record);
    }

    @KafkaListener(id = "batch", topics = "${test.batch}", batch = "true", autoStartup = "false")
    void onBatch(List<ConsumerRecord<String, String>> records) {
      List<String> ids = new ArrayList<>();
      for (ConsumerRecord<String, String> record : records) {
        try (Scope scope = kafka.open(record)) {
          LOG.info("batch {}", record.value());
          ids.add(Correlation.currentId());
        }
      }
      batches.add(Set.copyOf(ids));
    }

    /** Published on the consumer thread between polls. */
    @EventListener
    void onIdle(ListenerContainerIdleEvent event) {
      idleStates.add(event.getListenerId().replaceAll("-\\d+$", "") + " " + ThreadChecks.state());
    }
  }
}
