package dev.correlation.spring.amqp;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.rabbit.listener.MessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Wraps the error handler of every {@code @RabbitListener} container with
 * {@link SpringRabbitCorrelation#errorHandler}, before the containers start. The registry creates
 * the containers once the singletons are in place and starts them in the last lifecycle phase; this
 * runs in the phase before, when each container's error handler is final (factories expose none).
 */
final class ErrorHandlerInstaller implements SmartLifecycle {
  private final ObjectProvider<RabbitListenerEndpointRegistry> registry;
  private final SpringRabbitCorrelation rabbit;
  private volatile boolean running;

  ErrorHandlerInstaller(ObjectProvider<RabbitListenerEndpointRegistry> registry,
      SpringRabbitCorrelation rabbit) {
    this.registry = registry;
    this.rabbit = rabbit;
  }

  @Override
  public void start() {
    RabbitListenerEndpointRegistry containers = registry.getIfAvailable();
    if (containers != null) {
      for (MessageListenerContainer container : containers.getListenerContainers()) {
        if (container instanceof AbstractMessageListenerContainer) {
          AbstractMessageListenerContainer c = (AbstractMessageListenerContainer) container;
          c.setErrorHandler(rabbit.errorHandler(c.getErrorHandler()));
        }
      }
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    RabbitListenerEndpointRegistry containers = registry.getIfAvailable();
    int last = containers == null ? Integer.MAX_VALUE : containers.getPhase();
    return last == Integer.MIN_VALUE ? last : last - 1;
  }

  @Override
  public String toString() {
    return "ErrorHandlerInstaller";
  }
}
