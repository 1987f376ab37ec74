package dev.correlation.it.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.correlation.rabbitmq.RabbitCorrelation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the RabbitMQ integration tests: a connection to the shared broker per test, named after
 * the test class, and a channel wrapped by the library.
 */
abstract class WrappedChannelFixture {
  final AmqpBroker broker = AmqpBroker.shared();
  final RabbitCorrelation rabbit = RabbitCorrelation.create();
  Connection connection;
  Channel channel;

  @BeforeEach
  void connect() throws Exception {
    connection = broker.connect(getClass().getSimpleName());
    channel = rabbit.wrap(connection.createChannel());
  }

  @AfterEach
  void disconnect() throws Exception {
    connection.close();
  }
}
