package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.correlation.Correlation;
import dev.correlation.rabbitmq.RabbitCorrelation;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Automatic connection recovery: the broker closes the connection; the client reconnects and
 * recovers the channel and the consumer inside the wrappers, which go on working.
 */
class RabbitRecoveryIT {
  private final AmqpBroker broker = AmqpBroker.shared();
  private final RabbitCorrelation rabbit = RabbitCorrelation.create();

  @Test
  void sameWrappedChannelAndConsumerKeepFlowsAfterRecovery() throws Exception {
    try (Connection connection = broker.connect("recovery")) {
      Channel channel = rabbit.wrap(connection.createChannel());
      assertThat(channel).isInstanceOf(Recoverable.class);
      channel.confirmSelect();
      // survives the connection (not auto-delete, not exclusive); expires if this test dies
      String queue = "correlation-it-recovery-" + UUID.randomUUID();
      channel.queueDeclare(queue, false, false, false, broker.expiryArguments(120_000));
      Seen.Inbox inbox = new Seen.Inbox();
      channel.basicConsume(queue, false, (tag, delivery) -> {
        inbox.add(Seen.now(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody()));
        channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
      }, tag -> { });
      CountDownLatch recovered = new CountDownLatch(1);
      CountDownLatch channelRecovered = new CountDownLatch(1);
      ((Recoverable) connection).addRecoveryListener(listener(recovered));
      ((Recoverable) channel).addRecoveryListener(listener(channelRecovered));

      publishFlows(channel, queue, 0, 5);
      Map<String, String> seen = collect(inbox, 5);

      assertThat(broker.forceCloseConnections()).as("connections closed by the broker")
          .isGreaterThanOrEqualTo(1);
      assertThat(recovered.await(30, TimeUnit.SECONDS)).as("connection recovered").isTrue();
      assertThat(channelRecovered.await(30, TimeUnit.SECONDS)).as("channel recovered").isTrue();

      publishFlows(channel, queue, 5, 10);
      seen.putAll(collect(inbox, 5));

      Map<String, String> expected = new HashMap<>();
      for (int i = 0; i < 10; i++) {
        expected.put("message-" + i, "flow-" + i);
      }
      assertThat(seen).isEqualTo(expected); // nothing lost, every message in its own flow
      channel.queueDelete(queue);
    }
  }

  private static void publishFlows(Channel channel, String queue, int from, int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      String body = "message-" + i;
      Correlation.runWith("flow-" + i, () ->
          RabbitFlowIT.publish(channel, queue, new AMQP.BasicProperties(), body));
    }
    channel.waitForConfirmsOrDie(10_000);
  }

  /** Body to flow of the next {@code count} distinct messages (a redelivery may repeat one). */
  private static Map<String, String> collect(Seen.Inbox inbox, int count)
      throws InterruptedException {
    Map<String, String> seen = new HashMap<>();
    while (seen.size() < count) {
      Seen next = inbox.next();
      String before = seen.put(next.body(), next.correlationId());
      assertThat(before).as("a redelivery of %s", next.body()).isIn(null, next.correlationId());
    }
    return seen;
  }

  private static RecoveryListener listener(CountDownLatch latch) {
    return new RecoveryListener() {
      @Override
      public void handleRecovery(Recoverable recoverable) {
        latch.countDown();
      }

      @Override
      public void handleRecoveryStarted(Recoverable recoverable) {
      }
    };
  }
}
