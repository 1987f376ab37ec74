package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.it.BrokerSelection;
import dev.correlation.rabbitmq.RabbitCorrelation;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-JVM fallback a newcomer without RabbitMQ or Docker gets, started explicitly here because
 * this machine has RabbitMQ: the same wiring works on it, and so does forcing connections closed.
 */
class QpidFallbackIT {
  private static AmqpBroker qpid;

  @BeforeAll
  static void start() {
    java.util.Properties before = (java.util.Properties) System.getProperties().clone();
    qpid = AmqpBroker.startQpid();
    BrokerSelection.announce("RabbitMQ fallback", qpid.source(), qpid.description());
    // it shares the JVM with the other brokers' tests: it must not change their settings
    java.util.Map<String, String> changed = new java.util.TreeMap<>();
    for (String key : System.getProperties().stringPropertyNames()) {
      if (!System.getProperty(key).equals(before.getProperty(key))) {
        changed.put(key, System.getProperty(key));
      }
    }
    for (String key : before.stringPropertyNames()) {
      if (System.getProperty(key) == null) {
        changed.put(key, "(removed)");
      }
    }
    // allowed: Qpid's own namespace, and the JDK noting the default time zone on first use
    changed.keySet().removeIf(key -> key.startsWith("qpid.") || key.equals("user.timezone"));
    assertThat(changed).as("system properties changed by starting Qpid").isEmpty();
  }

  @AfterAll
  static void stop() {
    qpid.close();
  }

  @Test
  void carriesFlowThroughQpid() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    BlockingQueue<CorrelationContext> seen = new LinkedBlockingQueue<>();
    try (Connection connection = qpid.connect("qpid-round-trip")) {
      Channel channel = rabbit.wrap(connection.createChannel());
      String queue = channel.queueDeclare().getQueue();
      channel.basicConsume(queue, true,
          (tag, delivery) -> seen.add(Correlation.current().orElseThrow()), tag -> { });

      Correlation.runWith("qpid-flow-1", () -> publish(channel, queue));

      CorrelationContext context = seen.poll(10, TimeUnit.SECONDS);
      assertThat(context).isNotNull();
      assertThat(context.correlationId()).isEqualTo("qpid-flow-1");
      assertThat(context.messageId()).isNotBlank();
    }
  }

  @Test
  void wrappedChannelRecoversAfterQpidClosesConnections() throws Exception {
    RabbitCorrelation rabbit = RabbitCorrelation.create();
    BlockingQueue<CorrelationContext> seen = new LinkedBlockingQueue<>();
    try (Connection connection = qpid.connect("qpid-recovery")) {
      Channel channel = rabbit.wrap(connection.createChannel());
      String queue = "correlation-it-qpid-" + java.util.UUID.randomUUID();
      channel.queueDeclare(queue, false, false, false, null);
      channel.basicConsume(queue, true,
          (tag, delivery) -> seen.add(Correlation.current().orElseThrow()), tag -> { });
      java.util.concurrent.CountDownLatch recovered = new java.util.concurrent.CountDownLatch(1);
      ((com.rabbitmq.client.Recoverable) connection).addRecoveryListener(
          new com.rabbitmq.client.RecoveryListener() {
            @Override
            public void handleRecovery(com.rabbitmq.client.Recoverable r) {
              recovered.countDown();
            }

            @Override
            public void handleRecoveryStarted(com.rabbitmq.client.Recoverable r) {
            }
          });

      assertThat(qpid.forceCloseConnections()).isEqualTo(1);
      assertThat(recovered.await(30, TimeUnit.SECONDS)).isTrue();
      Correlation.runWith("qpid-flow-2", () -> publish(channel, queue));

      CorrelationContext context = seen.poll(10, TimeUnit.SECONDS);
      assertThat(context).isNotNull();
      assertThat(context.correlationId()).isEqualTo("qpid-flow-2");
      channel.queueDelete(queue);
    }
  }

  private static void publish(Channel channel, String queue) {
    try {
      channel.basicPublish("", queue, new AMQP.BasicProperties(),
          "hello".getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
