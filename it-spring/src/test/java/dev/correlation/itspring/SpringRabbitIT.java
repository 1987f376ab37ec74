package dev.correlation.itspring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.rabbitmq.client.ConnectionFactory;
import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.it.rabbitmq.AmqpBroker;
import dev.correlation.spring.amqp.SpringRabbitCorrelation;
import dev.correlation.testing.CleanThreadExtension;
import dev.correlation.testing.LogCapture;
import dev.correlation.testing.ThreadChecks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.ListenerContainerIdleEvent;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A Spring Boot application with {@code @RabbitListener}s and Boot's {@code RabbitTemplate} on the
 * shared AMQP broker (the local RabbitMQ, else Qpid in this JVM), set up with properties only.
 */
@ExtendWith(CleanThreadExtension.class)
class SpringRabbitIT {
  private static final Logger LOG = LoggerFactory.getLogger(SpringRabbitIT.class);
  private static final String RUN = Long.toString(System.nanoTime());
  static final String ORDERS = "spring-orders-" + RUN;
  static final String SHIPMENTS = "spring-shipments-" + RUN;
  static final String RPC = "spring-rpc-" + RUN;
  static final String BATCH = "spring-batch-" + RUN;
  static final String HAND = "spring-hand-" + RUN;

  private static ConfigurableApplicationContext context;
  private static LogCapture logs;

  @BeforeAll
  static void start() {
    ConnectionFactory broker = AmqpBroker.shared().connectionFactory();
    logs = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
    context = SpringApps.start(App.class, Map.ofEntries(
        Map.entry("spring.rabbitmq.host", broker.getHost()),
        Map.entry("spring.rabbitmq.port", Integer.toString(broker.getPort())),
        Map.entry("spring.rabbitmq.username", broker.getUsername()),
        Map.entry("spring.rabbitmq.password", broker.getPassword()),
        Map.entry("spring.rabbitmq.virtual-host", broker.getVirtualHost()),
        // a failed message is dropped after the error handler, not redelivered forever
        Map.entry("spring.rabbitmq.listener.simple.default-requeue-rejected", "false"),
        Map.entry("spring.rabbitmq.listener.simple.idle-event-interval", "200ms"),
        Map.entry("spring.rabbitmq.template.reply-timeout", "30s"),
        Map.entry("test.orders", ORDERS),
        Map.entry("test.shipments", SHIPMENTS),
        Map.entry("test.rpc", RPC),
        Map.entry("test.batch", BATCH)));
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
    String flow = "rabbit-ok-" + RUN;
    Correlation.runWith(flow, () -> template().convertAndSend("", ORDERS, "order-" + flow));

    ILoggingEvent order = SpringApps.awaitEvent(logs::events,
        e -> e.getFormattedMessage().equals("order order-" + flow), "the order listener's line");
    assertThat(order.getMDCPropertyMap()).containsEntry("correlation_id", flow);
    String orderMessageId = order.getMDCPropertyMap().get("message_id");
    assertThat(orderMessageId).as("the message_id our post-processor gave the order").isNotEmpty();

    ILoggingEvent shipment = SpringApps.awaitEvent(logs::events,
        e -> e.getFormattedMessage().equals("shipment order-" + flow),
        "the shipment listener's line");
    assertThat(shipment.getMDCPropertyMap())
        .containsEntry("correlation_id", flow)
        .containsEntry("causation_id", orderMessageId);
    Message shipped = app().shipments.stream()
        .filter(m -> body(m).equals("order-" + flow)).findFirst().orElseThrow();
    assertThat(shipped.getMessageProperties().<Object>getHeader("X-Correlation-ID"))
        .isEqualTo(flow);
    assertThat(shipped.getMessageProperties().<Object>getHeader("X-Causation-ID"))
        .isEqualTo(orderMessageId);
  }

  @Test
  void errorHandlersLineCarriesTheFailedMessagesFlow() throws Exception {
    String flow = "rabbit-fail-" + RUN;
    Correlation.runWith(flow, () -> template().convertAndSend("", ORDERS, "fail-" + flow));

    ILoggingEvent failed = SpringApps.awaitEvent(logs::events,
        e -> e.getLevel().isGreaterOrEqual(Level.WARN)
            && e.getLoggerName().startsWith("org.springframework.amqp")
            && flow.equals(e.getMDCPropertyMap().get("correlation_id")),
        "the error handler's line");
    assertThat(failed.getFormattedMessage()).contains("listener failed");
    assertThat(logs.events()).as("the listener's own line before it threw")
        .anyMatch(e -> e.getFormattedMessage().equals("order fail-" + flow)
            && flow.equals(e.getMDCPropertyMap().get("correlation_id")));
  }

  @Test
  void sendAndReceiveMatchesTheReplyAndKeepsTheCallersFlow() throws Exception {
    String flow = "rabbit-rpc-" + RUN;
    Message request = MessageBuilder.withBody(("ask-" + flow).getBytes(StandardCharsets.UTF_8))
        .build();
    List<Object> seen = new ArrayList<>();
    Correlation.runWith(flow, () -> {
      Message reply = template().sendAndReceive("", RPC, request);
      seen.add(reply == null ? "no reply" : body(reply));
      seen.add(Correlation.currentId());
    });

    assertThat(seen).containsExactly("reply-ask-" + flow, flow);
    Message served = app().requests.stream()
        .filter(m -> body(m).equals("ask-" + flow)).findFirst().orElseThrow();
    assertThat(served.getMessageProperties().<Object>getHeader("X-Correlation-ID"))
        .isEqualTo(flow);
    String replyTo = served.getMessageProperties().getReplyTo();
    if (replyTo != null && replyTo.startsWith("amq.rabbitmq.reply-to")) {
      // RabbitMQ's direct reply-to: the template matches replies by its own key in correlation_id
      assertThat(served.getMessageProperties().getCorrelationId())
          .as("the template's own reply key, not replaced by the flow")
          .isNotEmpty().isNotEqualTo(flow);
    } // else a temporary reply queue per request (Qpid): the template sets no key to keep
    assertThat(logs.events()).as("the responder's line")
        .anyMatch(e -> e.getFormattedMessage().equals("request ask-" + flow)
            && flow.equals(e.getMDCPropertyMap().get("correlation_id")));
  }

  @Test
  void batchListenerHandlesEachMessageInItsOwnFlow() throws Exception {
    List<String> flows = List.of("rbatch-a-" + RUN, "rbatch-b-" + RUN, "rbatch-c-" + RUN);
    for (String flow : flows) {
      Correlation.runWith(flow, () -> template().convertAndSend("", BATCH, "item-" + flow));
    }
    // all three are queued before the container starts: it takes them as one batch
    context.getBean(RabbitListenerEndpointRegistry.class).getListenerContainer("batch").start();

    SpringApps.await("three batch lines", () -> batchLines().size() == 3);
    for (ILoggingEvent line : batchLines()) {
      String flow = line.getFormattedMessage().substring("batch item-".length());
      assertThat(line.getMDCPropertyMap()).containsEntry("correlation_id", flow);
    }
    assertThat(app().batches).as("flows per delivered batch").anyMatch(batch -> batch.size() > 1);
  }

  @Test
  void listenerThreadsAreCleanBetweenDeliveries() throws Exception {
    listenerLineAndSendFromListenerCarryTheSendersFlowWithCausation();
    App app = app();
    app.idleStates.clear();
    SpringApps.await("idle events of both record containers after the flow",
        () -> app.idleStates.stream().map(s -> s.split(" ", 2)[0]).collect(Collectors.toSet())
            .containsAll(Set.of("orders", "shipments")));
    assertThat(app.idleStates).allMatch(s -> s.endsWith(" clean"));
  }

  @Test
  void injectedFlowSurvivesATemplateSendInsideAnotherFlowAndAWrappedListenerRunsInIt()
      throws Exception {
    String flowA = "rabbit-hand-a-" + RUN;
    CorrelationContext flowB = CorrelationContext.of("rabbit-hand-b-" + RUN, "orders-" + RUN, null);
    SpringRabbitCorrelation rabbit = context.getBean(SpringRabbitCorrelation.class).toBuilder()
        .errorHook((message, e) -> LOG.error("hook {}", body(message), e))
        .build();
    List<Message> received = new CopyOnWriteArrayList<>();
    // built by hand: no listener advice, only the wrapped listener opens the flow
    SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(
        context.getBean(org.springframework.amqp.rabbit.connection.ConnectionFactory.class));
    container.setQueueNames(HAND);
    container.setDefaultRequeueRejected(false);
    container.setMessageListener(rabbit.wrap((org.springframework.amqp.core.MessageListener) m -> {
      LOG.info("hand {}", body(m));
      received.add(m);
      if (body(m).startsWith("fail-")) {
        throw new IllegalStateException("hand listener failed");
      }
    }));
    container.start();
    try {
      Correlation.runWith(flowA, () -> {
        template().send("", HAND, rabbit.inject(MessageBuilder.withBody(
            ("ok-" + RUN).getBytes(StandardCharsets.UTF_8)).build(), flowB));
        template().send("", HAND, rabbit.inject(MessageBuilder.withBody(
            ("fail-" + RUN).getBytes(StandardCharsets.UTF_8)).build(), flowB));
      });

      SpringApps.awaitHandledAndHookedIn(logs::events, RUN, flowB);
      assertThat(received).allSatisfy(m -> assertThat(
          m.getMessageProperties().<Object>getHeader("X-Correlation-ID"))
          .isEqualTo(flowB.correlationId()));
    } finally {
      container.stop();
    }
  }

  private static List<ILoggingEvent> batchLines() {
    return logs.events().stream()
        .filter(e -> e.getFormattedMessage().startsWith("batch item-rbatch-")
            && e.getFormattedMessage().endsWith(RUN))
        .collect(Collectors.toList());
  }

  private static String body(Message message) {
    return new String(message.getBody(), StandardCharsets.UTF_8);
  }

  private static RabbitTemplate template() {
    return context.getBean(RabbitTemplate.class);
  }

  private static App app() {
    return context.getBean(App.class);
  }

  /** The application under test: listeners as a user writes them. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    final List<Message> shipments = new CopyOnWriteArrayList<>();
    final List<Message> requests = new CopyOnWriteArrayList<>();
    final List<Set<String>> batches = new CopyOnWriteArrayList<>();
    final List<String> idleStates = new CopyOnWriteArrayList<>();
    private final RabbitTemplate template;
    private final SpringRabbitCorrelation rabbit;

    App(RabbitTemplate template, SpringRabbitCorrelation rabbit) {
      this.template = template;
      this.rabbit = rabbit;
    }

    @Bean
    static Queue orders() {
      return new Queue(ORDERS, false, false, true);
    }

    @Bean
    static Queue shipmentQueue() {
      return new Queue(SHIPMENTS, false, false, true);
    }

    @Bean
    static Queue rpc() {
      return new Queue(RPC, false, false, true);
    }

    @Bean
    static Queue hand() {
      return new Queue(HAND, false, false, true);
    }

    @Bean
    static Queue batch() {
      return new Queue(BATCH, false, false, false);
    }

    /** A batch factory of the application's own, configured like Boot's. */
    @Bean
    static SimpleRabbitListenerContainerFactory batchFactory(
        SimpleRabbitListenerContainerFactoryConfigurer configurer,
        org.springframework.amqp.rabbit.connection.ConnectionFactory connectionFactory) {
      SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
      configurer.configure(factory, connectionFactory);
      factory.setBatchListener(true);
      factory.setConsumerBatchEnabled(true);
      factory.setBatchSize(3);
      factory.setReceiveTimeout(5_000L);
      return factory;
    }

    @RabbitListener(id = "orders", queues = "${test.orders}")
    void onOrder(Message message) {
      LOG.info("order {}", body(message));
      if (body(message).startsWith("fail-")) {
        throw new IllegalStateException("order rejected");
      }
      template.convertAndSend("", SHIPMENTS, body(message));
    }

    @RabbitListener(id = "shipments", queues = "${test.shipments}")
    void onShipment(Message message) {
      LOG.info("shipment {}", body(message));
      shipments.add(message);
    }

    @RabbitListener(id = "rpc", queues = "${test.rpc}")
    String onRequest(Message message) {
      LOG.info("request {}", body(message));
      requests.add(message);
      return "reply-" + body(message);
    }

    @RabbitListener(id = "batch", queues = "${test.batch}", containerFactory = "batchFactory",
        autoStartup = "false")
    void onBatch(List<Message> messages) {
      List<String> ids = new ArrayList<>();
      rabbit.forEach(messages, message -> {
        LOG.info("batch {}", body(message));
        ids.add(Correlation.currentId());
      });
      batches.add(Set.copyOf(ids));
    }

    /** Published on the consumer thread when it has waited without a delivery. */
    @EventListener
    void onIdle(ListenerContainerIdleEvent event) {
      idleStates.add(event.getListenerId() + " " + ThreadChecks.state());
    }
  }
}
