package dev.correlation.itspring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.it.sqs.SqsBroker;
import dev.correlation.spring.sqs.SpringSqsCorrelation;
import dev.correlation.sqs.CorrelationExecutionInterceptor;
import dev.correlation.testing.CleanThreadExtension;
import dev.correlation.testing.LogCapture;
import dev.correlation.testing.ThreadChecks;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import io.awspring.cloud.sqs.listener.errorhandler.ErrorHandler;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * A Spring Boot application with {@code @SqsListener}s and Spring Cloud AWS's {@code SqsTemplate}
 * on the in-JVM ElasticMQ, set up with properties only.
 */
@ExtendWith(CleanThreadExtension.class)
class SpringSqsIT {
  private static final Logger LOG = LoggerFactory.getLogger(SpringSqsIT.class);
  private static final String RUN = Long.toString(System.nanoTime());
  static final String ORDERS = "spring-orders-" + RUN;
  static final String SHIPMENTS = "spring-shipments-" + RUN;
  static final String BATCH = "spring-batch-" + RUN;
  static final List<String> BATCH_FLOWS =
      List.of("sbatch-a-" + RUN, "sbatch-b-" + RUN, "sbatch-c-" + RUN);

  private static SqsClient client;
  private static ConfigurableApplicationContext context;
  private static LogCapture logs;

  @BeforeAll
  static void start() {
    SqsBroker broker = SqsBroker.shared();
    client = broker.syncClient().build();
    for (String queue : List.of(ORDERS, SHIPMENTS, BATCH)) {
      client.createQueue(b -> b.queueName(queue));
    }
    // queued before the application starts: its first poll takes all three as one batch
    String batchUrl = url(BATCH);
    for (String flow : BATCH_FLOWS) {
      client.sendMessage(b -> b.queueUrl(batchUrl).messageBody("item-" + flow)
          .messageAttributes(Map.of("X-Correlation-ID", MessageAttributeValue.builder()
              .dataType("String").stringValue(flow).build())));
    }
    logs = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
    context = SpringApps.start(App.class, Map.of(
        "spring.cloud.aws.sqs.endpoint", broker.endpoint().toString(),
        "spring.cloud.aws.region.static", broker.region().id(),
        "spring.cloud.aws.sqs.listener.poll-timeout", "1s",
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
    if (client != null) {
      client.close();
    }
  }

  @Test
  void listenerLineAndSendFromListenerCarryTheSendersFlowWithCausation() throws Exception {
    String flow = "sqs-ok-" + RUN;
    Correlation.runWith(flow, () -> template().send(ORDERS, "order-" + flow));

    ILoggingEvent order = SpringApps.awaitEvent(logs::events,
        e -> e.getFormattedMessage().equals("order order-" + flow), "the order listener's line");
    assertThat(order.getMDCPropertyMap()).containsEntry("correlation_id", flow);
    String orderMessageId = order.getMDCPropertyMap().get("message_id");
    assertThat(orderMessageId).as("the SQS MessageId of the order").isNotEmpty();

    ILoggingEvent shipment = SpringApps.awaitEvent(logs::events,
        e -> e.getFormattedMessage().equals("shipment order-" + flow),
        "the shipment listener's line");
    assertThat(shipment.getMDCPropertyMap())
        .containsEntry("correlation_id", flow)
        .containsEntry("causation_id", orderMessageId);
  }

  @Test
  void errorHandlersLineCarriesTheFailedMessagesFlow() throws Exception {
    String flow = "sqs-fail-" + RUN;
    Correlation.runWith(flow, () -> template().send(ORDERS, "fail-" + flow));

    ILoggingEvent failed = SpringApps.awaitEvent(logs::events,
        e -> e.getLevel() == Level.ERROR
            && e.getFormattedMessage().equals("listener failed on fail-" + flow),
        "the error handler's line");
    assertThat(failed.getMDCPropertyMap()).containsEntry("correlation_id", flow);
  }

  @Test
  void batchListenerHandlesEachMessageInItsOwnFlow() throws Exception {
    SpringApps.await("three batch lines", () -> batchLines().size() == 3);
    for (ILoggingEvent line : batchLines()) {
      String flow = line.getFormattedMessage().substring("batch item-".length());
      assertThat(line.getMDCPropertyMap()).containsEntry("correlation_id", flow);
    }
    assertThat(app().batches).as("flows per delivered batch").anyMatch(batch -> batch.size() > 1);
  }

  @Test
  void firstSendToANewQueueCarriesTheFlow() throws Exception {
    String queue = "spring-first-" + RUN;
    client.createQueue(b -> b.queueName(queue));
    String flow = "sqs-first-" + RUN;
    // the template has never seen this queue: it looks it up, then sends from an SDK thread
    Correlation.runWith(flow, () -> template().send(queue, "first"));

    Map<String, MessageAttributeValue> attributes = receiveOne(queue).messageAttributes();
    assertThat(attributes.get("X-Correlation-ID").stringValue()).isEqualTo(flow);
  }

  @Test
  void attributeBudgetCountsSpringsOwnAttributes() throws Exception {
    String probeQueue = "spring-probe-" + RUN;
    String fullQueue = "spring-full-" + RUN;
    client.createQueue(b -> b.queueName(probeQueue));
    client.createQueue(b -> b.queueName(fullQueue));
    String flow = "sqs-budget-" + RUN;
    Correlation.runWith(flow, () -> template().send(probeQueue, "probe"));
    Set<String> springOwn = new HashSet<>(receiveOne(probeQueue).messageAttributes().keySet());
    springOwn.remove("X-Correlation-ID");
    assertThat(springOwn).as("Spring's own attributes").contains(SqsHeaders.SQS_DEFAULT_TYPE_HEADER);

    Map<String, Object> headers = new HashMap<>();
    for (int i = springOwn.size(); i < 10; i++) {
      headers.put("custom-" + i, "v" + i);
    }
    Correlation.runWith(flow, () -> template().send(to -> to.queue(fullQueue).payload("full")
        .headers(headers)));

    Map<String, MessageAttributeValue> delivered = receiveOne(fullQueue).messageAttributes();
    assertThat(delivered).hasSize(10).doesNotContainKey("X-Correlation-ID");
    assertThat(logs.warnings()).as("the WARN for the skipped attribute")
        .anyMatch(w -> w.contains("X-Correlation-ID"));
  }

  @Test
  void autoConfiguredClientCarriesTheExecutionInterceptor() {
    SqsAsyncClient sqsClient = context.getBean(SqsAsyncClient.class);
    assertThat(sqsClient.serviceClientConfiguration().overrideConfiguration()
        .executionInterceptors())
        .hasAtLeastOneElementOfType(CorrelationExecutionInterceptor.class);
  }

  @Test
  void containerThreadsAreCleanBeforeEachMessage() throws Exception {
    for (int i = 0; i < 5; i++) {
      listenerLineAndSendFromListenerCarryTheSendersFlowWithCausation();
    }
    assertThat(app().statesBeforeMessage).isNotEmpty().allMatch("clean"::equals);
  }

  @Test
  void injectedFlowSurvivesATemplateSendInsideAnotherFlowAndAWrappedListenerRunsInIt()
      throws Exception {
    String queue = "spring-hand-" + RUN;
    client.createQueue(b -> b.queueName(queue));
    String flowA = "sqs-hand-a-" + RUN;
    CorrelationContext flowB = CorrelationContext.of("sqs-hand-b-" + RUN, "orders-" + RUN, null);
    SpringSqsCorrelation sqs = context.getBean(SpringSqsCorrelation.class).toBuilder()
        .errorHook((message, e) -> LOG.error("hook {}", message.getPayload(), e))
        .build();
    // built by hand: no message interceptor, only the wrapped listener opens the flow
    SqsMessageListenerContainer<String> container = SqsMessageListenerContainer.<String>builder()
        .sqsAsyncClient(context.getBean(SqsAsyncClient.class))
        .queueNames(queue)
        .configure(options -> options.pollTimeout(java.time.Duration.ofSeconds(1)))
        .messageListener(sqs.wrap(message -> {
          LOG.info("hand {}", message.getPayload());
          if (message.getPayload().startsWith("fail-")) {
            throw new IllegalStateException("hand listener failed");
          }
        }))
        .build();
    container.start();
    try {
      Correlation.runWith(flowA, () -> {
        template().send(queue, sqs.inject(MessageBuilder.withPayload("ok-" + RUN).build(), flowB));
        template().send(queue,
            sqs.inject(MessageBuilder.withPayload("fail-" + RUN).build(), flowB));
      });

      SpringApps.awaitHandledAndHookedIn(logs::events, RUN, flowB);
    } finally {
      container.stop();
    }
  }

  private static software.amazon.awssdk.services.sqs.model.Message receiveOne(String queue)
      throws InterruptedException {
    List<software.amazon.awssdk.services.sqs.model.Message> got = new ArrayList<>();
    String url = url(queue);
    SpringApps.await("a message on " + queue, () -> {
      got.addAll(client.receiveMessage(ReceiveMessageRequest.builder().queueUrl(url)
          .messageAttributeNames("All").waitTimeSeconds(1).build()).messages());
      return !got.isEmpty();
    });
    return got.get(0);
  }

  private static String url(String queue) {
    return client.getQueueUrl(b -> b.queueName(queue)).queueUrl();
  }

  private static List<ILoggingEvent> batchLines() {
    return logs.events().stream()
        .filter(e -> e.getFormattedMessage().startsWith("batch item-sbatch-")
            && e.getFormattedMessage().endsWith(RUN))
        .collect(Collectors.toList());
  }

  private static SqsTemplate template() {
    return context.getBean(SqsTemplate.class);
  }

  private static App app() {
    return context.getBean(App.class);
  }

  /** The application under test: listeners as a user writes them. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    final List<Set<String>> batches = new CopyOnWriteArrayList<>();
    final List<String> statesBeforeMessage = new CopyOnWriteArrayList<>();
    private final SqsTemplate template;
    private final SpringSqsCorrelation sqs;

    App(SqsTemplate template, SpringSqsCorrelation sqs) {
      this.template = template;
      this.sqs = sqs;
    }

    /** Logs the failure and lets the message go: the line under test. */
    @Bean
    static ErrorHandler<Object> errorHandler() {
      return new ErrorHandler<>() {
        @Override
        public void handle(Message<Object> message, Throwable t) {
          LOG.error("listener failed on {}", message.getPayload());
        }
      };
    }

    /** The application's own interceptor, before ours: what the thread holds as a message comes. */
    @Bean
    MessageInterceptor<Object> threadStateRecorder() {
      return new MessageInterceptor<>() {
        @Override
        public Message<Object> intercept(Message<Object> message) {
          statesBeforeMessage.add(ThreadChecks.state());
          return message;
        }
      };
    }

    @SqsListener(value = "${test.orders}", id = "orders")
    void onOrder(String order) {
      LOG.info("order {}", order);
      if (order.startsWith("fail-")) {
        throw new IllegalStateException("order rejected");
      }
      template.send(SHIPMENTS, order);
    }

    @SqsListener(value = "${test.shipments}", id = "shipments")
    void onShipment(String shipment) {
      LOG.info("shipment {}", shipment);
    }

    @SqsListener(value = "${test.batch}", id = "batch")
    void onBatch(List<Message<String>> messages) {
      List<String> ids = new ArrayList<>();
      sqs.forEach(messages, message -> {
        LOG.info("batch {}", message.getPayload());
        ids.add(Correlation.currentId());
      });
      batches.add(Set.copyOf(ids));
    }
  }
}
