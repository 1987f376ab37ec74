package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.RpcServer;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's RabbitMQ snippets, as they are there, so that the build compiles them against the
 * current API; the it module's ReadmeExamplesTest checks that the README still says the same. Not
 * run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);
  private final byte[] body = new byte[0];
  private final byte[] charge = new byte[0];
  private final byte[] result = new byte[0];
  private final String requestId = "request-1";
  private final String replyQueue = "replies";
  private final CorrelationConfig config = CorrelationConfig.defaults();

  void wrapTheChannelOnce(Connection connection) throws IOException {
    RabbitCorrelation rabbit = RabbitCorrelation.create();        // or create(CorrelationConfig)
    Channel channel = rabbit.wrap(connection.createChannel());

    // publish: every basicPublish overload
    try (Scope scope = Correlation.open(Correlation.newId())) {
      channel.basicPublish("", "orders", null, body);    // X-Correlation-ID, correlation_id, message_id
    }

    // consume: every basicConsume overload, Consumer or DeliverCallback
    channel.basicConsume("orders", false, (tag, delivery) -> {
      log.info("charging");                  // MDC: correlation_id, message_id, causation_id
      channel.basicPublish("", "payments", null, charge);   // same flow; X-Causation-ID = this message
      channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
    }, tag -> { });
  }

  void wrapTheChannelOnceAtAnEdge(Connection connection, String incomingIdOrNull)
      throws IOException {
    RabbitCorrelation rabbit = RabbitCorrelation.create();        // or create(CorrelationConfig)
    Channel channel = rabbit.wrap(connection.createChannel());

    // publish: every basicPublish overload
    try (Scope scope = Correlation.continueOrStart(incomingIdOrNull)) {
      channel.basicPublish("", "orders", null, body);    // X-Correlation-ID, correlation_id, message_id
    }

    // consume: every basicConsume overload, Consumer or DeliverCallback
    channel.basicConsume("orders", false, (tag, delivery) -> {
      log.info("charging");                  // MDC: correlation_id, message_id, causation_id
      channel.basicPublish("", "payments", null, charge);   // same flow; X-Causation-ID = this message
      channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
    }, tag -> { });
  }

  void rpcServer(RabbitCorrelation rabbit, Connection connection) throws IOException {
    RpcServer server = new RpcServer(rabbit.wrap(connection.createChannel()), "pricing") {
      @Override
      public void processRequest(Delivery request) throws IOException {
        try (Scope scope = rabbit.open(request)) {
          super.processRequest(request);
        }
      }

      @Override
      public byte[] handleCall(Delivery request, AMQP.BasicProperties replyProperties) {
        log.info("pricing");                    // carries the request's flow
        return price(request.getBody());
      }
    };
  }

  void theRpcRule(Channel channel, AMQP.BasicProperties props) throws IOException {
    AMQP.BasicProperties request = new AMQP.BasicProperties.Builder()
        .correlationId(requestId).replyTo(replyQueue).build();
    channel.basicPublish("", "rpc", request, body);    // correlation_id stays requestId; X-Correlation-ID = the flow

    // server, inside its wrapped consumer: reply with the caller's key; the flow comes along
    channel.basicPublish("", props.getReplyTo(),
        new AMQP.BasicProperties.Builder().correlationId(props.getCorrelationId()).build(), result);
  }

  void yourOwnPostProcessors() {
    RabbitCorrelation rabbit = RabbitCorrelation.builder()
        .config(config)                                   // optional
        .addPostProcessor(p -> p.builder().appId("checkout").build())
        .build();
  }

  void basicGet(RabbitCorrelation rabbit, Channel channel) throws IOException {
    GetResponse response = channel.basicGet("jobs", false);
    if (response != null) {
      Correlation.runWith(rabbit.context(response), () -> handle(response));
      // or, for code that throws checked exceptions:
      Scope scope = rabbit.open(response);
      try { handle(response); } finally { scope.close(); }
    }
  }

  void basicGetBatch(RabbitCorrelation rabbit, Channel channel) throws IOException {
    List<Delivery> batch = new ArrayList<>();
    for (GetResponse r; batch.size() < 10 && (r = channel.basicGet("jobs", false)) != null; ) {
      batch.add(new Delivery(r.getEnvelope(), r.getProps(), r.getBody()));
    }
    rabbit.forEach(batch, delivery -> handle(delivery));   // each message in its own flow
  }

  private void handle(GetResponse response) {}

  private byte[] price(byte[] request) {
    return request;
  }

  private void handle(Delivery delivery) {}
}
