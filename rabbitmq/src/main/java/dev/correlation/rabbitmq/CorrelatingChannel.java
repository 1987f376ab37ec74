package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.ConsumerShutdownSignalCallback;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoverableChannel;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A channel that applies the post-processors to every publish and wraps every consumer; all else
 * goes to the delegate untouched, through {@link ForwardingChannel}. Two shapes, so that {@code instanceof Recoverable} answers for
 * the wrapper what it answers for the channel inside.
 */
abstract sealed class CorrelatingChannel extends ForwardingChannel
    permits CorrelatingChannel.Plain, CorrelatingChannel.Recovering {
  final RabbitCorrelation rabbit;

  CorrelatingChannel(RabbitCorrelation rabbit, Channel delegate) {
    super(delegate);
    this.rabbit = rabbit;
  }

  /** A channel without automatic recovery. */
  static final class Plain extends CorrelatingChannel {
    Plain(RabbitCorrelation rabbit, Channel delegate) {
      super(rabbit, delegate);
    }
  }

  /**
   * A channel with automatic recovery: the client recovers the channel inside, with the consumers
   * it recorded, which are the wrapped ones. Recovery listeners are told about this wrapper, not
   * about the channel inside, so that a listener that publishes keeps publishing with correlation.
   */
  static final class Recovering extends CorrelatingChannel implements RecoverableChannel {
    Recovering(RabbitCorrelation rabbit, Channel delegate) {
      super(rabbit, delegate);
    }

    @Override
    public void addRecoveryListener(RecoveryListener listener) {
      ((Recoverable) delegate).addRecoveryListener(new SubstitutingListener(this, listener));
    }

    @Override
    public void removeRecoveryListener(RecoveryListener listener) {
      ((Recoverable) delegate).removeRecoveryListener(new SubstitutingListener(this, listener));
    }
  }

  /** Hands the wrapper to the listener; equal to every other one for the same listener. */
  static final class SubstitutingListener implements RecoveryListener {
    private final Recoverable wrapper;
    private final RecoveryListener listener;

    SubstitutingListener(Recoverable wrapper, RecoveryListener listener) {
      this.wrapper = wrapper;
      this.listener = listener;
    }

    @Override
    public void handleRecovery(Recoverable recoverable) {
      listener.handleRecovery(wrapper);
    }

    @Override
    public void handleRecoveryStarted(Recoverable recoverable) {
      listener.handleRecoveryStarted(wrapper);
    }

    @Override
    public void handleTopologyRecoveryStarted(Recoverable recoverable) {
      listener.handleTopologyRecoveryStarted(wrapper);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof SubstitutingListener
          && ((SubstitutingListener) o).wrapper == wrapper
          && ((SubstitutingListener) o).listener.equals(listener);
    }

    @Override
    public int hashCode() {
      return listener.hashCode();
    }
  }

  // ---- publish: every overload through the post-processors

  @Override
  public void basicPublish(String exchange, String routingKey, AMQP.@Nullable BasicProperties props,
      byte[] body) throws IOException {
    delegate.basicPublish(exchange, routingKey, rabbit.beforePublish(props), body);
  }

  @Override
  public void basicPublish(String exchange, String routingKey, boolean mandatory,
      AMQP.@Nullable BasicProperties props, byte[] body) throws IOException {
    delegate.basicPublish(exchange, routingKey, mandatory, rabbit.beforePublish(props), body);
  }

  @Override
  public void basicPublish(String exchange, String routingKey, boolean mandatory,
      boolean immediate, AMQP.@Nullable BasicProperties props, byte[] body) throws IOException {
    delegate.basicPublish(exchange, routingKey, mandatory, immediate, rabbit.beforePublish(props),
        body);
  }

  @Override
  public void basicPublish(String exchange, String routingKey, boolean mandatory,
      boolean immediate, AMQP.@Nullable BasicProperties props, ByteBuffer body,
      WriteListener listener) throws IOException {
    delegate.basicPublish(exchange, routingKey, mandatory, immediate, rabbit.beforePublish(props),
        body, listener);
  }

  // ---- consume: every overload with a wrapped consumer or callback

  @Override
  public String basicConsume(String queue, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, rabbit.wrap(callback));
  }

  @Override
  public String basicConsume(String queue, DeliverCallback deliverCallback,
      CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, rabbit.wrap(deliverCallback), cancelCallback);
  }

  @Override
  public String basicConsume(String queue, DeliverCallback deliverCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, rabbit.wrap(deliverCallback), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, DeliverCallback deliverCallback,
      CancelCallback cancelCallback, ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(queue, rabbit.wrap(deliverCallback), cancelCallback,
        shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, autoAck, rabbit.wrap(callback));
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, DeliverCallback deliverCallback,
      CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, rabbit.wrap(deliverCallback), cancelCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, DeliverCallback deliverCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, rabbit.wrap(deliverCallback),
        shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, DeliverCallback deliverCallback,
      CancelCallback cancelCallback, ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(queue, autoAck, rabbit.wrap(deliverCallback), cancelCallback,
        shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Map<String, Object> arguments,
      Consumer callback) throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, rabbit.wrap(callback));
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Map<String, Object> arguments,
      DeliverCallback deliverCallback, CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, rabbit.wrap(deliverCallback),
        cancelCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Map<String, Object> arguments,
      DeliverCallback deliverCallback, ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, rabbit.wrap(deliverCallback),
        shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Map<String, Object> arguments,
      DeliverCallback deliverCallback, CancelCallback cancelCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, rabbit.wrap(deliverCallback),
        cancelCallback, shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, Consumer callback)
      throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, rabbit.wrap(callback));
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag,
      DeliverCallback deliverCallback, CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, rabbit.wrap(deliverCallback),
        cancelCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag,
      DeliverCallback deliverCallback, ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, rabbit.wrap(deliverCallback),
        shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag,
      DeliverCallback deliverCallback, CancelCallback cancelCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, rabbit.wrap(deliverCallback),
        cancelCallback, shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, boolean noLocal,
      boolean exclusive, Map<String, Object> arguments, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, noLocal, exclusive, arguments,
        rabbit.wrap(callback));
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, boolean noLocal,
      boolean exclusive, Map<String, Object> arguments, DeliverCallback deliverCallback,
      CancelCallback cancelCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, noLocal, exclusive, arguments,
        rabbit.wrap(deliverCallback), cancelCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, boolean noLocal,
      boolean exclusive, Map<String, Object> arguments, DeliverCallback deliverCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback) throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, noLocal, exclusive, arguments,
        rabbit.wrap(deliverCallback), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, boolean noLocal,
      boolean exclusive, Map<String, Object> arguments, DeliverCallback deliverCallback,
      CancelCallback cancelCallback, ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, noLocal, exclusive, arguments,
        rabbit.wrap(deliverCallback), cancelCallback, shutdownSignalCallback);
  }

  // The default consumer handles deliveries for unknown consumer tags: wrapped like the others,
  // handed back unwrapped.

  @Override
  public @Nullable Consumer getDefaultConsumer() {
    Consumer consumer = delegate.getDefaultConsumer();
    return consumer instanceof CorrelatingConsumer
        ? ((CorrelatingConsumer) consumer).delegate : consumer;
  }

  @Override
  public void setDefaultConsumer(@Nullable Consumer consumer) {
    delegate.setDefaultConsumer(consumer == null ? null : rabbit.wrap(consumer));
  }

  @Override
  public String toString() {
    return "CorrelatingChannel{" + delegate + '}';
  }
}
