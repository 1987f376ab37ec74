package dev.correlation.spring.amqp;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;

/**
 * Around a container's call of its listener ({@code invokeListener(Channel, Object data)}, which
 * returns nothing): runs the call in the flow of {@code data} when it is one message, with the
 * error hook if it throws, and closes the flow on the same thread. A batch passes through: one
 * scope around many flows would mix them.
 */
final class CorrelationListenerAdvice implements MethodInterceptor {
  private final SpringRabbitCorrelation rabbit;

  CorrelationListenerAdvice(SpringRabbitCorrelation rabbit) {
    this.rabbit = rabbit;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Object[] arguments = invocation.getArguments();
    Object data = arguments.length == 2 ? arguments[1] : null;
    if (!(data instanceof Message)) {
      return invocation.proceed();
    }
    rabbit.<Throwable>handle((Message) data, message -> invocation.proceed());
    return null;
  }

  @Override
  public String toString() {
    return "CorrelationListenerAdvice";
  }
}
