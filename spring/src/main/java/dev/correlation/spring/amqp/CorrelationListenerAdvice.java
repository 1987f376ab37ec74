package dev.correlation.spring.amqp;

import dev.correlation.Scope;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;

/**
 * Around a container's call of its listener ({@code invokeListener(Channel, Object data)}): opens
 * the flow of {@code data} when it is one message, and closes it when the listener returns or
 * throws, on the same thread. A batch passes through: one scope around many flows would mix them.
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
    Scope scope = rabbit.open((Message) data);
    try {
      return invocation.proceed();
    } finally {
      scope.close();
    }
  }

  @Override
  public String toString() {
    return "CorrelationListenerAdvice";
  }
}
