package dev.correlation.spring.sqs;

import dev.correlation.Scope;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;

/**
 * Opens a message's flow in {@link #intercept(Message)}, before the listener, and closes it in
 * {@link #afterProcessing(Message, Throwable)}, after the listener and the error handler, on the
 * container thread that runs the three (blocking components run inline on it). When processing
 * ended in a failure (no error handler, or one that did not recover), the error hook runs there
 * first, still in the message's flow. A scope that a failed pipeline left open is closed by the
 * next {@code intercept} on that thread.
 */
final class CorrelationMessageInterceptor implements MessageInterceptor<Object> {
  private final SpringSqsCorrelation sqs;
  private final ThreadLocal<Scope> open = new ThreadLocal<>();

  CorrelationMessageInterceptor(SpringSqsCorrelation sqs) {
    this.sqs = sqs;
  }

  @Override
  public Message<Object> intercept(Message<Object> message) {
    closeOpen();
    open.set(sqs.open(message));
    return message;
  }

  @Override
  public void afterProcessing(Message<Object> message, @Nullable Throwable t) {
    if (t != null && open.get() != null) {
      sqs.onError(message, t);
    }
    closeOpen();
  }

  private void closeOpen() {
    Scope scope = open.get();
    if (scope != null) {
      open.remove();
      scope.close();
    }
  }

  @Override
  public String toString() {
    return "CorrelationMessageInterceptor";
  }
}
