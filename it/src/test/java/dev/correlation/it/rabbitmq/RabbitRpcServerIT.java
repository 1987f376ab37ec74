package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import com.rabbitmq.client.RpcServer;
import dev.correlation.Correlation;
import dev.correlation.Scope;
import dev.correlation.rabbitmq.RabbitCorrelation;
import dev.correlation.testing.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * amqp-client's RpcServer queues each request and handles it on its own thread, after the wrapped
 * consumer's scope has closed. The README's recipe opens the request's flow around
 * processRequest: handleCall logs with the flow, and the reply, published through the wrapped
 * channel, carries the flow and names the request as its cause, while RpcClient still matches it
 * by its own correlation_id.
 */
class RabbitRpcServerIT extends WrappedChannelFixture {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitRpcServerIT.class);

  /** The README's recipe: an RpcServer whose requests are handled in their flows. */
  static RpcServer pricingServer(Channel wrapped, String queue, RabbitCorrelation rabbit)
      throws IOException {
    return new RpcServer(wrapped, queue) {
      @Override
      public void processRequest(Delivery request) throws IOException {
        try (Scope scope = rabbit.open(request)) {
          super.processRequest(request); // handleCall and the reply's publish run in the flow
        }
      }

      @Override
      public byte[] handleCall(Delivery request, AMQP.BasicProperties replyProperties) {
        String item = new String(request.getBody(), StandardCharsets.UTF_8);
        LOG.info("pricing {}", item);
        return ("42.00 for " + item).getBytes(StandardCharsets.UTF_8);
      }
    };
  }

  @Test
  void theServerHandlesEachRequestInItsFlowAndTheReplyNamesTheRequestAsCause() throws Exception {
    String queue = RabbitFlowIT.queue(channel);
    RpcServer server = pricingServer(channel, queue, rabbit);
    ExecutorService serverThread = Executors.newSingleThreadExecutor();
    Channel clientChannel = rabbit.wrap(connection.createChannel());
    try (LogCapture log = new LogCapture(RabbitRpcServerIT.class)) {
      Future<?> loop = serverThread.submit(() -> {
        try {
          server.mainloop();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      RpcClient client = new RpcClient(new RpcClientParams().channel(clientChannel)
          .exchange("").routingKey(queue).timeout(30_000));
      RpcClient.Response first = Correlation.supplyWith("quote-flow-1",
          () -> call(client, "book"));
      RpcClient.Response second = Correlation.supplyWith("quote-flow-2",
          () -> call(client, "pen"));

      assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("42.00 for book");
      assertThat(first.getProperties().getHeaders().get("X-Correlation-ID"))
          .hasToString("quote-flow-1");
      assertThat(second.getProperties().getHeaders().get("X-Correlation-ID"))
          .hasToString("quote-flow-2");
      assertThat(first.getProperties().getHeaders().get("X-Causation-ID")).asString()
          .isNotBlank().isNotEqualTo(second.getProperties().getHeaders().get("X-Causation-ID")
              .toString());
      // the reply matched by the client's own key, which the library did not touch
      assertThat(first.getProperties().getCorrelationId()).isNotEqualTo("quote-flow-1");
      List<String> lines = log.lines("%X{correlation_id} %X{message_id} %msg");
      assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
      assertThat(lines.get(0)).startsWith("quote-flow-1 " + first.getProperties().getHeaders()
          .get("X-Causation-ID")).endsWith(" pricing book");
      assertThat(lines.get(1)).startsWith("quote-flow-2 ").endsWith(" pricing pen");
      // terminateMainloop takes effect after the next request: send one (a cast, no reply)
      server.terminateMainloop();
      channel.basicPublish("", queue, null, "stop".getBytes(StandardCharsets.UTF_8));
      loop.get(30, TimeUnit.SECONDS);
      assertThat(serverThread.submit(dev.correlation.testing.ThreadChecks::state)
          .get(30, TimeUnit.SECONDS)).isEqualTo("clean");
    } finally {
      server.close();
      serverThread.shutdownNow();
    }
  }

  private static RpcClient.Response call(RpcClient client, String item) {
    try {
      return client.responseCall(item.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
