package dev.correlation.it.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.correlation.Correlation;
import dev.correlation.it.rabbitmq.AmqpBroker;
import dev.correlation.rabbitmq.RabbitCorrelation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The MDC path with Log4j2 as the SLF4J backend (log4j-slf4j2-impl, Logback off the class path),
 * on the real RabbitMQ: every log line of a handler carries its flow through a Log4j2 pattern, and
 * Log4j2's inheritable thread context (on in this run) does not leak one flow into later tasks.
 */
class Log4j2MdcIT {
  private static final Logger LOG = LoggerFactory.getLogger(Log4j2MdcIT.class);
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private AbstractAppender appender;

  @BeforeEach
  void capture() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config)
        .withPattern("%X{correlation_id}|%X{message_id}|%X{causation_id}|%m").build();
    appender = new AbstractAppender("capture", null, layout, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        if (event.getLoggerName().equals(Log4j2MdcIT.class.getName())) {
          lines.add(layout.toSerializable(event));
        }
      }
    };
    appender.start();
    config.getLoggerConfig(Log4j2MdcIT.class.getName()).addAppender(appender, Level.INFO, null);
    config.getLoggerConfig(Log4j2MdcIT.class.getName()).setLevel(Level.INFO);
    context.updateLoggers();
  }

  @AfterEach
  void detach() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getLoggerConfig(Log4j2MdcIT.class.getName())
        .removeAppender("capture");
    context.updateLoggers();
    appender.stop();
  }

  @Test
  void slf4jLogsThroughLog4j2Here() {
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .startsWith("org.apache.logging.slf4j");
  }

  @Test
  void everyHandlerLineCarriesItsFlowThroughALog4j2Pattern() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    int flows = 20;
    try (Connection connection = AmqpBroker.shared().connect("Log4j2MdcIT")) {
      Channel channel = rabbit.wrap(connection.createChannel());
      String queue = "correlation-log4j2-" + UUID.randomUUID();
      channel.queueDeclare(queue, false, false, true, null);
      CountDownLatch handled = new CountDownLatch(flows);
      channel.basicConsume(queue, true, (tag, delivery) -> {
        LOG.info("handled {}", new String(delivery.getBody(), StandardCharsets.UTF_8));
        handled.countDown();
      }, tag -> { });
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < flows; i++) {
        String flow = "log4j2-flow-" + i;
        String body = "order-" + i;
        Correlation.runWith(flow, () -> {
          try {
            channel.basicPublish("", queue, new AMQP.BasicProperties(),
                body.getBytes(StandardCharsets.UTF_8));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        expected.add(flow + "|");
      }
      assertThat(handled.await(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(lines).hasSize(flows);
    for (String line : lines) {
      String[] parts = line.split("\\|", -1);
      String n = parts[3].substring("handled order-".length());
      assertThat(parts[0]).isEqualTo("log4j2-flow-" + n);
      assertThat(parts[1]).as("message_id").isNotEmpty();
      assertThat(parts[2]).as("causation_id at the first hop").isEmpty();
    }
  }

  @Test
  void aThreadCreatedInsideAFlowDoesNotLogThatFlowForLaterTasks() throws Exception {
    ExecutorService pool = Correlation.wrap(Executors.newSingleThreadExecutor());
    try {
      // the pool's one thread is created inside flow A: Log4j2 copies A's context into it
      Correlation.runWith("flow-a", () -> {
        try {
          pool.submit(() -> LOG.info("inside a")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      pool.submit(() -> LOG.info("outside any flow")).get(30, TimeUnit.SECONDS);
      Correlation.runWith("flow-b", () -> {
        try {
          pool.submit(() -> LOG.info("inside b")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(pool.submit(() -> MDC.get("correlation_id")).get(30, TimeUnit.SECONDS))
          .as("what a wrapped task without a flow sees").isNull();
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    assertThat(lines).containsExactly("flow-a|||inside a", "|||outside any flow",
        "flow-b|||inside b");
  }
}
