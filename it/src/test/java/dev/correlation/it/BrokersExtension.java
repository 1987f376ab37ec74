package dev.correlation.it;

import dev.correlation.it.kafka.KafkaBroker;
import dev.correlation.it.rabbitmq.AmqpBroker;
import dev.correlation.it.sqs.SqsBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands integration tests the JVM-wide brokers, each chosen once by {@link BrokerSelection}
 * (environment, then Testcontainers, then in-JVM) and started on first use:
 *
 * <pre>{@code
 * @ExtendWith(BrokersExtension.class)
 * class MyIT {
 *   @Test void flows(KafkaBroker kafka, AmqpBroker amqp, SqsBroker sqs) { ... }
 * }
 * }</pre>
 *
 * The demo uses the same brokers through {@code KafkaBroker.shared()} and its siblings.
 */
public final class BrokersExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaBroker.class || type == AmqpBroker.class || type == SqsBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == KafkaBroker.class) {
      return KafkaBroker.shared();
    }
    if (type == AmqpBroker.class) {
      return AmqpBroker.shared();
    }
    return SqsBroker.shared();
  }
}
