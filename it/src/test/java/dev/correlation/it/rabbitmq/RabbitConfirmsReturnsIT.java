package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Return;
import dev.correlation.Correlation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Publisher confirms and mandatory returns, registered on and used through the wrapper. */
class RabbitConfirmsReturnsIT extends WrappedChannelFixture {
  @Test
  void publisherConfirmsArriveForWrappedPublishes() throws Exception {
    String queue = RabbitFlowIT.queue(channel);
    Set<Long> acked = new ConcurrentSkipListSet<>();
    channel.confirmSelect();
    channel.addConfirmListener((tag, multiple) -> {
      for (long t = multiple ? 1 : tag; t <= tag; t++) {
        acked.add(t);
      }
    }, (tag, multiple) -> { });
    long first = channel.getNextPublishSeqNo();

    Correlation.runWith("confirmed-flow", () -> {
      for (int i = 0; i < 3; i++) {
        RabbitFlowIT.publish(channel, queue, new AMQP.BasicProperties(), "m" + i);
      }
    });

    assertThat(channel.waitForConfirms(10_000)).isTrue();
    assertThat(channel.getNextPublishSeqNo()).isEqualTo(first + 3);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (acked.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(acked).containsExactly(first, first + 1, first + 2);
    assertThat(channel.messageCount(queue)).isEqualTo(3);
  }

  @Test
  void mandatoryReturnCarriesTheFlow() throws Exception {
    BlockingQueue<Return> returns = new LinkedBlockingQueue<>();
    channel.addReturnListener(returns::add);
    String nowhere = "correlation-it-no-such-queue-" + UUID.randomUUID();

    Correlation.runWith("returned-flow", () -> {
      try {
        channel.basicPublish("", nowhere, true, new AMQP.BasicProperties(),
            "lost".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    Return returned = returns.poll(10, TimeUnit.SECONDS);
    assertThat(returned).isNotNull();
    assertThat(returned.getReplyCode()).isEqualTo(312); // NO_ROUTE
    assertThat(returned.getRoutingKey()).isEqualTo(nowhere);
    assertThat(returned.getProperties().getHeaders().get("X-Correlation-ID"))
        .hasToString("returned-flow");
    assertThat(returned.getProperties().getCorrelationId()).isEqualTo("returned-flow");
    // the operator reading the return can find the flow it belonged to
    assertThat(rabbit.context(null, returned.getProperties()).correlationId())
        .isEqualTo("returned-flow");
  }
}
