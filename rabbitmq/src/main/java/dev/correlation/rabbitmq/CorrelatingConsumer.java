package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.correlation.CorrelationPropagator;
import java.io.IOException;

/**
 * Runs each delivery in the flow of its message; the other callbacks are passed on as they are.
 * Automatic connection recovery re-registers this object (the channel recorded it), so a recovered
 * consumer keeps its correlation.
 */
final class CorrelatingConsumer implements Consumer {
  private final RabbitCorrelation rabbit;
  final Consumer delegate;

  CorrelatingConsumer(RabbitCorrelation rabbit, Consumer delegate) {
    this.rabbit = rabbit;
    this.delegate = delegate;
  }

  @Override
  public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
      byte[] body) throws IOException {
    // One object per delivery: the Delivery the error hook is given also carries what the call to
    // the delegate needs, so the handler below captures nothing (no lambda allocated per message).
    rabbit.handle(new TaggedDelivery(this, consumerTag, envelope, properties, body), DELIVER);
  }

  private static final CorrelationPropagator.Handler<Delivery, IOException> DELIVER = d -> {
    TaggedDelivery delivery = (TaggedDelivery) d;
    delivery.consumer.delegate.handleDelivery(delivery.consumerTag, delivery.getEnvelope(),
        delivery.getProperties(), delivery.getBody());
  };

  /** A delivery with the consumer tag and the consumer it is for. */
  private static final class TaggedDelivery extends Delivery {
    final CorrelatingConsumer consumer;
    final String consumerTag;

    TaggedDelivery(CorrelatingConsumer consumer, String consumerTag, Envelope envelope,
        AMQP.BasicProperties properties, byte[] body) {
      super(envelope, properties, body);
      this.consumer = consumer;
      this.consumerTag = consumerTag;
    }
  }

  @Override
  public void handleConsumeOk(String consumerTag) {
    delegate.handleConsumeOk(consumerTag);
  }

  @Override
  public void handleCancelOk(String consumerTag) {
    delegate.handleCancelOk(consumerTag);
  }

  @Override
  public void handleCancel(String consumerTag) throws IOException {
    delegate.handleCancel(consumerTag);
  }

  @Override
  public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
    delegate.handleShutdownSignal(consumerTag, signal);
  }

  @Override
  public void handleRecoverOk(String consumerTag) {
    delegate.handleRecoverOk(consumerTag);
  }

  @Override
  public String toString() {
    return "CorrelatingConsumer{" + delegate + '}';
  }
}
