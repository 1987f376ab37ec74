package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A message handled more than once, or somewhere else, stays in its flow. */
class RabbitRedeliveryIT extends WrappedChannelFixture {
  @Test
  void redeliveryAfterNackWithRequeueIsHandledInTheSameFlow() throws Exception {
    String queue = RabbitFlowIT.queue(channel);
    Seen.Inbox inbox = new Seen.Inbox();
    channel.basicConsume(queue, false, (tag, delivery) -> {
      inbox.add(Seen.now(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody()));
      long deliveryTag = delivery.getEnvelope().getDeliveryTag();
      if (delivery.getEnvelope().isRedeliver()) {
        channel.basicAck(deliveryTag, false);
      } else {
        channel.basicNack(deliveryTag, false, true); // put it back
      }
    }, tag -> { });

    Correlation.runWith("retry-flow", () ->
        RabbitFlowIT.publish(channel, queue, new AMQP.BasicProperties(), "flaky"));

    Seen first = inbox.next();
    Seen again = inbox.next();
    assertThat(first.envelope().isRedeliver()).isFalse();
    assertThat(again.envelope().isRedeliver()).isTrue();
    String messageId = first.properties().getMessageId();
    assertThat(first.context()).isEqualTo(CorrelationContext.of("retry-flow", messageId, null));
    assertThat(again.context()).isEqualTo(first.context());
  }

  @Test
  void deadLetteredMessageIsHandledInItsOriginalFlow() throws Exception {
    String deadLetters = "correlation-it-dlx-" + UUID.randomUUID();
    channel.exchangeDeclare(deadLetters, BuiltinExchangeType.FANOUT, false, true, null);
    String dlq = RabbitFlowIT.queue(channel);
    channel.queueBind(dlq, deadLetters, "");
    String work = "correlation-it-" + UUID.randomUUID();
    channel.queueDeclare(work, false, false, true,
        broker.deadLetterArguments(deadLetters));
    Seen.Inbox rejected = new Seen.Inbox();
    Seen.Inbox dead = new Seen.Inbox();
    channel.basicConsume(work, false, (tag, delivery) -> {
      rejected.add(Seen.now(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody()));
      channel.basicReject(delivery.getEnvelope().getDeliveryTag(), false);
    }, tag -> { });
    channel.basicConsume(dlq, true, (tag, delivery) ->
        dead.add(Seen.now(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody())),
        tag -> { });

    Correlation.runWith("poison-flow", () ->
        RabbitFlowIT.publish(channel, work, new AMQP.BasicProperties(), "poison"));

    Seen atWork = rejected.next();
    Seen atDlq = dead.next();
    assertThat(atWork.correlationId()).isEqualTo("poison-flow");
    assertThat(atDlq.body()).isEqualTo("poison");
    assertThat(atDlq.context()).isEqualTo(atWork.context()); // same flow, same message
    try {
      channel.exchangeDelete(deadLetters);
    } catch (java.io.IOException e) {
      // auto-delete already removed it
    }
  }
}
