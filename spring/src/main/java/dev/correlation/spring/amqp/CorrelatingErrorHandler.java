package dev.correlation.spring.amqp;

import dev.correlation.Scope;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.support.ListenerExecutionFailedException;
import org.springframework.util.ErrorHandler;

/**
 * A container's error handler run in the flow of the message whose listener failed. The container
 * calls it after the advice chain has returned, on the same thread; the failed message travels in
 * the {@link ListenerExecutionFailedException}.
 */
final class CorrelatingErrorHandler implements ErrorHandler {
  private final SpringRabbitCorrelation rabbit;
  private final ErrorHandler delegate;

  CorrelatingErrorHandler(SpringRabbitCorrelation rabbit, ErrorHandler delegate) {
    this.rabbit = rabbit;
    this.delegate = delegate;
  }

  @Override
  public void handleError(Throwable t) {
    Message failed = t instanceof ListenerExecutionFailedException
        ? ((ListenerExecutionFailedException) t).getFailedMessage() : null;
    if (failed == null) {
      delegate.handleError(t);
      return;
    }
    Scope scope = rabbit.open(failed);
    try {
      delegate.handleError(t);
    } finally {
      scope.close();
    }
  }

  @Override
  public String toString() {
    return "CorrelatingErrorHandler{" + delegate + '}';
  }
}
