package dev.correlation.spring.amqp;

import com.rabbitmq.client.Channel;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * A listener run in the flow of each message it is given, with the error hook on failure. It is
 * channel-aware whatever it wraps, so that a container hands it the channel for a delegate that
 * wants one; a plain delegate gets the message alone. A batch passes through to the delegate
 * unchanged: one scope around many flows would mix them (the delegate opens each message with
 * {@link SpringRabbitCorrelation#forEach}).
 */
final class CorrelatingMessageListener implements ChannelAwareMessageListener {
  final SpringRabbitCorrelation owner;
  private final MessageListener delegate;

  CorrelatingMessageListener(SpringRabbitCorrelation owner, MessageListener delegate) {
    this.owner = owner;
    this.delegate = delegate;
  }

  @Override
  public void onMessage(Message message, @Nullable Channel channel) throws Exception {
    if (delegate instanceof ChannelAwareMessageListener) {
      ChannelAwareMessageListener channelAware = (ChannelAwareMessageListener) delegate;
      owner.<Exception>handle(message, m -> channelAware.onMessage(m, channel));
    } else {
      owner.handle(message, delegate::onMessage);
    }
  }

  @Override
  public void onMessage(Message message) {
    owner.handle(message, delegate::onMessage);
  }

  @Override
  public void onMessageBatch(List<Message> messages, @Nullable Channel channel) {
    if (delegate instanceof ChannelAwareMessageListener) {
      ((ChannelAwareMessageListener) delegate).onMessageBatch(messages, channel);
    } else {
      delegate.onMessageBatch(messages);
    }
  }

  @Override
  public void onMessageBatch(List<Message> messages) {
    delegate.onMessageBatch(messages);
  }

  @Override
  public void containerAckMode(AcknowledgeMode mode) {
    delegate.containerAckMode(mode);
  }

  @Override
  public boolean isAsyncReplies() {
    return delegate.isAsyncReplies();
  }

  @Override
  public String toString() {
    return "CorrelatingMessageListener{" + delegate + '}';
  }
}
