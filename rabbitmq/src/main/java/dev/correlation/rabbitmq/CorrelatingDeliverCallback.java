package dev.correlation.rabbitmq;

import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import java.io.IOException;

/** Runs each delivery in the flow of its message. */
final class CorrelatingDeliverCallback implements DeliverCallback {
  private final RabbitCorrelation rabbit;
  private final DeliverCallback delegate;

  CorrelatingDeliverCallback(RabbitCorrelation rabbit, DeliverCallback delegate) {
    this.rabbit = rabbit;
    this.delegate = delegate;
  }

  @Override
  public void handle(String consumerTag, Delivery message) throws IOException {
    rabbit.handle(message, d -> delegate.handle(consumerTag, d));
  }

  @Override
  public String toString() {
    return "CorrelatingDeliverCallback{" + delegate + '}';
  }
}
