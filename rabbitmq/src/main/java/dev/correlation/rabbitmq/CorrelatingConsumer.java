package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
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
    rabbit.handle(new Delivery(envelope, properties, body),
        d -> delegate.handleDelivery(consumerTag, envelope, properties, body));
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
