package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.testing.LogCapture;
import dev.correlation.testing.ThreadChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One flow through RabbitMQ: publish, consume, the next hop, RPC, basicGet, thread pools. */
class RabbitFlowIT extends WrappedChannelFixture {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitFlowIT.class);

  /** A queue of this test's own, deleted when its last consumer goes. */
  static String queue(Channel channel) throws IOException {
    String name = "correlation-it-" + UUID.randomUUID();
    channel.queueDeclare(name, false, false, true, null);
    return name;
  }

  static void publish(Channel channel, String queue, AMQP.BasicProperties props, String body) {
    try {
      channel.basicPublish("", queue, props, body.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void handlerSeesFlowMessageIdAndNoCauseAtTheFirstHop() throws Exception {
    String queue = queue(channel);
    Seen.Inbox inbox = new Seen.Inbox();
    channel.basicConsume(queue, true,
        (tag, delivery) -> inbox.add(Seen.now(delivery.getEnvelope(), delivery.getProperties(),
            delivery.getBody())), tag -> { });

    Correlation.runWith("order-flow-1", () ->
        publish(channel, queue, new AMQP.BasicProperties(), "order placed"));

    Seen seen = inbox.next();
    String messageId = seen.properties().getMessageId();
    assertThat(messageId).isNotBlank();
    assertThat(seen.context()).isEqualTo(CorrelationContext.of("order-flow-1", messageId, null));
    assertThat(seen.mdc()).isEqualTo("order-flow-1 " + messageId + " null");
    assertThat(seen.properties().getCorrelationId()).isEqualTo("order-flow-1");
    assertThat(seen.properties().getHeaders().get("X-Correlation-ID"))
        .hasToString("order-flow-1");
  }

  @Test
  void nextHopCarriesFlowAndNamesItsCause() throws Exception {
    String first = queue(channel);
    String second = queue(channel);
    Seen.Inbox inbox = new Seen.Inbox();
    // the first handler publishes onward through the same wrapped channel
    channel.basicConsume(first, true, (tag, delivery) -> {
      inbox.add(Seen.now(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody()));
      publish(channel, second, new AMQP.BasicProperties(), "payment requested");
    }, tag -> { });
    channel.basicConsume(second, true, new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props,
          byte[] body) {
        inbox.add(Seen.now(envelope, props, body));
      }
    });

    Correlation.runWith("order-flow-2", () ->
        publish(channel, first, new AMQP.BasicProperties(), "order placed"));

    Seen hop1 = inbox.next();
    Seen hop2 = inbox.next();
    String firstId = hop1.properties().getMessageId();
    String secondId = hop2.properties().getMessageId();
    assertThat(secondId).isNotBlank().isNotEqualTo(firstId);
    assertThat(hop2.context()).isEqualTo(CorrelationContext.of("order-flow-2", secondId, firstId));
    assertThat(hop2.mdc()).isEqualTo("order-flow-2 " + secondId + " " + firstId);
  }

  @Test
  void rpcKeepsCallerCorrelationIdWhileFlowTravelsInHeader() throws Exception {
    String requests = queue(channel);
    String replies = channel.queueDeclare().getQueue(); // the caller's own, exclusive
    Seen.Inbox server = new Seen.Inbox();
    Seen.Inbox client = new Seen.Inbox();
    try (Connection serverConnection = broker.connect("rpc-server");
         LogCapture log = new LogCapture(RabbitFlowIT.class)) {
      Channel serverChannel = rabbit.wrap(serverConnection.createChannel());
      serverChannel.basicConsume(requests, true, (tag, request) -> {
        server.add(Seen.now(request.getEnvelope(), request.getProperties(), request.getBody()));
        AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder()
            .correlationId(request.getProperties().getCorrelationId()).build();
        publish(serverChannel, request.getProperties().getReplyTo(), reply, "42");
      }, tag -> { });
      channel.basicConsume(replies, true, (tag, reply) -> {
        // the reply is matched by the property, as RPC clients do; the log line has the flow
        LOG.info("reply for request {}", reply.getProperties().getCorrelationId());
        client.add(Seen.now(reply.getEnvelope(), reply.getProperties(), reply.getBody()));
      }, tag -> { });

      AMQP.BasicProperties request = new AMQP.BasicProperties.Builder()
          .correlationId("rpc-request-7").replyTo(replies).build();
      Correlation.runWith("checkout-flow", () -> publish(channel, requests, request, "price?"));

      Seen atServer = server.next();
      Seen atClient = client.next();
      assertThat(atServer.properties().getCorrelationId()).isEqualTo("rpc-request-7");
      assertThat(atServer.correlationId()).isEqualTo("checkout-flow");
      assertThat(atClient.properties().getCorrelationId()).isEqualTo("rpc-request-7");
      assertThat(atClient.correlationId()).isEqualTo("checkout-flow");
      assertThat(atClient.context().causationId())
          .isEqualTo(atServer.properties().getMessageId());
      assertThat(log.lines("%X{correlation_id} %msg"))
          .containsExactly("checkout-flow reply for request rpc-request-7");
    }
  }

  @Test
  void basicGetUsersReadTheFlowFromTheResponse() throws Exception {
    String queue = queue(channel);
    Correlation.runWith("batch-flow", () ->
        publish(channel, queue, new AMQP.BasicProperties(), "job"));

    GetResponse response = null;
    for (int i = 0; i < 100 && response == null; i++) {
      response = channel.basicGet(queue, true);
      if (response == null) {
        Thread.sleep(50);
      }
    }

    assertThat(response).isNotNull();
    CorrelationContext context = rabbit.context(response);
    assertThat(context.correlationId()).isEqualTo("batch-flow");
    assertThat(context.messageId()).isEqualTo(response.getProps().getMessageId()).isNotBlank();
    AtomicReference<String> inFlow = new AtomicReference<>();
    Correlation.runWith(context, () -> inFlow.set(MDC.get("correlation_id")));
    assertThat(inFlow.get()).isEqualTo("batch-flow");
  }

  @Test
  void threadPoolHopInsideHandlerKeepsFlowAndLeavesThreadsClean() throws Exception {
    ExecutorService consumerThread = Executors.newSingleThreadExecutor();
    ExecutorService rawPool = Executors.newSingleThreadExecutor();
    ExecutorService pool = Correlation.wrap(rawPool);
    try (Connection own = broker.connect("pool-hop", consumerThread)) {
      Channel ownChannel = rabbit.wrap(own.createChannel());
      String queue = queue(ownChannel);
      Seen.Inbox inbox = new Seen.Inbox();
      AtomicReference<String> onPool = new AtomicReference<>();
      ownChannel.basicConsume(queue, true, (tag, delivery) -> {
        Future<?> hop = pool.submit(() -> {
          onPool.set(Correlation.currentId() + " " + MDC.get("correlation_id"));
        });
        try {
          hop.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        inbox.add(Seen.now(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody()));
      }, tag -> { });

      Correlation.runWith("pool-flow", () ->
          publish(ownChannel, queue, new AMQP.BasicProperties(), "work"));

      assertThat(inbox.next().correlationId()).isEqualTo("pool-flow");
      assertThat(onPool.get()).isEqualTo("pool-flow pool-flow");
      // both the client's consumer thread and the pool thread are back to nothing
      assertThat(consumerThread.submit(ThreadChecks::state).get(10, TimeUnit.SECONDS))
          .isEqualTo("clean");
      assertThat(rawPool.submit(ThreadChecks::state).get(10, TimeUnit.SECONDS))
          .isEqualTo("clean");
    } finally {
      pool.shutdownNow();
      consumerThread.shutdownNow();
    }
  }

  @Test
  void correlationIdPropertyIsAFlowOnlyWhenTheFallbackIsOn() throws Exception {
    Channel withFallback = dev.correlation.rabbitmq.RabbitCorrelation.builder()
        .correlationIdFallback(true).build().wrap(connection.createChannel());
    String byDefault = queue(channel);
    String fallback = queue(withFallback);
    Seen.Inbox inbox = new Seen.Inbox();
    Seen.Inbox fallbackInbox = new Seen.Inbox();
    channel.basicConsume(byDefault, true,
        (tag, d) -> inbox.add(Seen.now(d.getEnvelope(), d.getProperties(), d.getBody())),
        tag -> { });
    withFallback.basicConsume(fallback, true,
        (tag, d) -> fallbackInbox.add(Seen.now(d.getEnvelope(), d.getProperties(), d.getBody())),
        tag -> { });
    try (Channel plain = connection.createChannel()) {
      for (String queue : List.of(byDefault, fallback)) {
        plain.basicPublish("", queue, new AMQP.BasicProperties.Builder()
            .correlationId("legacy-42").build(), "legacy".getBytes(StandardCharsets.UTF_8));
        plain.basicPublish("", queue, new AMQP.BasicProperties.Builder()
            .headers(java.util.Map.of("X-Correlation-ID", "from-header"))
            .correlationId("rpc-1").build(), "both".getBytes(StandardCharsets.UTF_8));
      }
    }

    List<Seen> seen = inbox.next(2);
    assertThat(seen.get(0).correlationId()).as("an RPC key is not a flow").isNotEqualTo(
        "legacy-42");
    assertThat(seen.get(1).correlationId()).isEqualTo("from-header");
    assertThat(fallbackInbox.next(2)).extracting(Seen::body, Seen::correlationId).containsExactly(
        org.assertj.core.groups.Tuple.tuple("legacy", "legacy-42"),
        org.assertj.core.groups.Tuple.tuple("both", "from-header"));
  }
}
