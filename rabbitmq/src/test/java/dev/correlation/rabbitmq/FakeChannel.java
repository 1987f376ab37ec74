package dev.correlation.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.RecoverableChannel;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A channel that records every call made to it and answers with defaults; no broker. */
final class FakeChannel {
  /** One recorded call. */
  record Call(Method method, Object[] args) {
    String name() {
      return method.getName();
    }

    Object arg(int i) {
      return args[i];
    }

    @Override
    public String toString() {
      return method.getName() + Arrays.toString(args);
    }
  }

  final List<Call> calls = new ArrayList<>();
  final Channel channel;

  private FakeChannel(Class<? extends Channel> type) {
    channel = (Channel) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "FakeChannel";
            };
          }
          calls.add(new Call(method, args == null ? new Object[0] : args));
          return defaultValue(method.getReturnType());
        });
  }

  static FakeChannel plain() {
    return new FakeChannel(Channel.class);
  }

  static FakeChannel recoverable() {
    return new FakeChannel(RecoverableChannel.class);
  }

  Call last() {
    return calls.get(calls.size() - 1);
  }

  static Object defaultValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == String.class) {
      return "tag";
    }
    return null;
  }
}
