package dev.correlation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import dev.correlation.testing.CleanThreadExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CorrelatingConsumerTest {
  private static final Envelope ENVELOPE = new Envelope(1L, false, "", "orders");
  private static final AMQP.BasicProperties INCOMING = new AMQP.BasicProperties.Builder()
      .headers(Map.of("X-Correlation-ID", LongStringHelper.asLongString("flow-in"),
          "X-Causation-ID", LongStringHelper.asLongString("msg-0")))
      .messageId("msg-in").build();

  private final RabbitCorrelation rabbit = RabbitCorrelation.create();

  @Test
  void handlesDeliveryInTheMessageFlowWithMdcThenRestoresThread() throws IOException {
    AtomicReference<CorrelationContext> seen = new AtomicReference<>();
    List<String> mdc = new ArrayList<>();
    Consumer consumer = rabbit.wrap(new DefaultConsumer(null) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p,
          byte[] body) {
        seen.set(Correlation.current().orElseThrow());
        mdc.add(MDC.get("correlation_id") + " " + MDC.get("message_id") + " "
            + MDC.get("causation_id"));
      }
    });

    consumer.handleDelivery("tag", ENVELOPE, INCOMING, new byte[0]);

    assertThat(seen.get()).isEqualTo(CorrelationContext.of("flow-in", "msg-in", "msg-0"));
    assertThat(mdc).containsExactly("flow-in msg-in msg-0");
    CleanThreadExtension.assertClean("after the delivery");
  }

  @Test
  void restoresTheFlowThatWasOpenBefore() throws IOException {
    AtomicReference<String> inside = new AtomicReference<>();
    DeliverCallback callback = rabbit.wrap(
        (DeliverCallback) (tag, delivery) -> inside.set(Correlation.currentId()));

    Scope outer = Correlation.open("outer");
    try {
      callback.handle("tag", new Delivery(ENVELOPE, INCOMING, new byte[0]));
      assertThat(Correlation.currentId()).isEqualTo("outer");
      assertThat(MDC.get("correlation_id")).isEqualTo("outer");
    } finally {
      outer.close();
    }
    assertThat(inside.get()).isEqualTo("flow-in");
  }

  @Test
  void passesHandlerExceptionsThroughUnchangedAfterClosingTheFlow() {
    IOException io = new IOException("broken");
    IllegalStateException runtime = new IllegalStateException("bug");
    Consumer failing = rabbit.wrap(new DefaultConsumer(null) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p,
          byte[] body) throws IOException {
        throw io;
      }
    });
    DeliverCallback failingCallback = rabbit.wrap((DeliverCallback) (tag, delivery) -> {
      throw runtime;
    });

    assertThatThrownBy(() -> failing.handleDelivery("tag", ENVELOPE, INCOMING, new byte[0]))
        .isSameAs(io);
    CleanThreadExtension.assertClean("after an IOException");
    assertThatThrownBy(() -> failingCallback.handle("tag",
        new Delivery(ENVELOPE, INCOMING, new byte[0]))).isSameAs(runtime);
    CleanThreadExtension.assertClean("after a RuntimeException");
  }

  @Test
  void theErrorHookLogsInsideTheFailingDeliverysFlow() {
    List<String> hookLines = new ArrayList<>();
    RabbitCorrelation hooked = RabbitCorrelation.builder()
        .errorHook((delivery, error) -> hookLines.add(MDC.get("correlation_id") + " "
            + delivery.getProperties().getMessageId() + " " + error.getMessage()))
        .build();
    IOException io = new IOException("broken");
    Consumer failing = hooked.wrap(new DefaultConsumer(null) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p,
          byte[] body) throws IOException {
        throw io;
      }
    });
    DeliverCallback failingCallback = hooked.wrap((DeliverCallback) (tag, delivery) -> {
      throw io;
    });

    assertThatThrownBy(() -> failing.handleDelivery("tag", ENVELOPE, INCOMING, new byte[0]))
        .isSameAs(io);
    assertThatThrownBy(() -> failingCallback.handle("tag",
        new Delivery(ENVELOPE, INCOMING, new byte[0]))).isSameAs(io);
    String expected = "flow-in " + INCOMING.getMessageId() + " broken";
    assertThat(hookLines).containsExactly(expected, expected);
  }

  @Test
  void aDeliveryCanBeOpenedLaterOnAnotherThread() throws Exception {
    Delivery delivery = new Delivery(ENVELOPE, INCOMING, new byte[0]);
    java.util.concurrent.ExecutorService worker =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      String seen = worker.submit(() -> {
        try (Scope scope = rabbit.open(delivery)) {
          return MDC.get("correlation_id") + "/" + rabbit.context(delivery).messageId();
        }
      }).get();
      assertThat(seen).isEqualTo("flow-in/" + INCOMING.getMessageId());
    } finally {
      worker.shutdownNow();
    }
  }

  @Test
  void passesOtherCallbacksOnUnchanged() throws IOException {
    List<String> calls = new ArrayList<>();
    ShutdownSignalException signal = new ShutdownSignalException(false, false, null, null);
    Consumer consumer = rabbit.wrap(new Consumer() {
      @Override
      public void handleConsumeOk(String tag) {
        calls.add("consumeOk " + tag + " " + Correlation.currentId());
      }

      @Override
      public void handleCancelOk(String tag) {
        calls.add("cancelOk " + tag);
      }

      @Override
      public void handleCancel(String tag) {
        calls.add("cancel " + tag);
      }

      @Override
      public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
        calls.add("shutdown " + tag + " " + (sig == signal));
      }

      @Override
      public void handleRecoverOk(String tag) {
        calls.add("recoverOk " + tag);
      }

      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p,
          byte[] body) {
        calls.add("delivery " + tag);
      }
    });

    consumer.handleConsumeOk("t1");
    consumer.handleCancelOk("t2");
    consumer.handleCancel("t3");
    consumer.handleShutdownSignal("t4", signal);
    consumer.handleRecoverOk("t5");

    assertThat(calls).containsExactly("consumeOk t1 null", "cancelOk t2", "cancel t3",
        "shutdown t4 true", "recoverOk t5");
  }

  @Test
  void returnsWrappedHandlersAsTheyAre() {
    Consumer consumer = rabbit.wrap(new DefaultConsumer(null));
    DeliverCallback callback = rabbit.wrap((DeliverCallback) (tag, delivery) -> { });

    assertThat(rabbit.wrap(consumer)).isSameAs(consumer);
    assertThat(RabbitCorrelation.create().wrap(callback)).isSameAs(callback);
    assertThatThrownBy(() -> rabbit.wrap((Consumer) null))
        .isInstanceOf(NullPointerException.class).hasMessage("consumer == null");
    assertThatThrownBy(() -> rabbit.wrap((DeliverCallback) null))
        .isInstanceOf(NullPointerException.class).hasMessage("callback == null");
  }

  @Test
  void writesCausationWhenHandlerPublishes() throws IOException {
    FakeChannel fake = FakeChannel.plain();
    com.rabbitmq.client.Channel channel = rabbit.wrap(fake.channel);
    DeliverCallback forward = rabbit.wrap((DeliverCallback) (tag, delivery) ->
        channel.basicPublish("", "next", null, delivery.getBody()));

    forward.handle("tag", new Delivery(ENVELOPE, INCOMING, new byte[0]));

    AMQP.BasicProperties sent = (AMQP.BasicProperties) fake.last().arg(2);
    assertThat(PublishTest.text(sent.getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-in");
    assertThat(PublishTest.text(sent.getHeaders().get("X-Causation-ID"))).isEqualTo("msg-in");
    assertThat(sent.getMessageId()).isNotBlank().isNotEqualTo("msg-in");
  }

  @Test
  void usesMdcKeysOfItsOwnConfiguration() throws IOException {
    RabbitCorrelation custom = RabbitCorrelation.create(
        CorrelationConfig.builder().mdcCorrelationKey("cid").build());
    AtomicReference<String> seen = new AtomicReference<>();

    custom.wrap((DeliverCallback) (tag, delivery) -> seen.set(MDC.get("cid")))
        .handle("tag", new Delivery(ENVELOPE, INCOMING, new byte[0]));

    assertThat(seen.get()).isEqualTo("flow-in");
    assertThat(MDC.get("cid")).isNull();
  }

  @Test
  void forEachHandlesEveryDeliveryInItsOwnFlowThenRestoresThread() {
    Delivery first = delivery("flow-a", "msg-a");
    Delivery second = delivery("flow-b", "msg-b");
    List<String> seen = new ArrayList<>();

    try (Scope outer = Correlation.open("outer")) {
      rabbit.forEach(List.of(first, second), d -> seen.add(MDC.get("correlation_id") + " "
          + Correlation.current().orElseThrow().messageId()));

      assertThat(Correlation.currentId()).isEqualTo("outer");
    }
    assertThat(seen).containsExactly("flow-a msg-a", "flow-b msg-b");
  }

  @Test
  void forEachStopsAtTheFirstHandlerExceptionAfterTheErrorHookRanInItsFlow() {
    List<String> handled = new ArrayList<>();
    List<String> hooked = new ArrayList<>();
    RabbitCorrelation withHook = RabbitCorrelation.builder()
        .errorHook((delivery, error) -> hooked.add(MDC.get("correlation_id")))
        .build();
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> withHook.forEach(
        List.of(delivery("flow-a", "msg-a"), delivery("flow-b", "msg-b"),
            delivery("flow-c", "msg-c")),
        d -> {
          handled.add(d.getProperties().getMessageId());
          if (handled.size() == 2) {
            throw boom;
          }
        })).isSameAs(boom);

    assertThat(handled).containsExactly("msg-a", "msg-b");
    assertThat(hooked).containsExactly("flow-b");
    assertThat(Correlation.current()).isEmpty();
  }

  @Test
  void forEachRejectsNullsNamingThem() {
    assertThatThrownBy(() -> rabbit.forEach(null, d -> { })).hasMessage("deliveries == null");
    assertThatThrownBy(() -> rabbit.forEach(List.of(), null)).hasMessage("handler == null");
    assertThatThrownBy(() -> rabbit.forEach(java.util.Arrays.asList((Delivery) null), d -> { }))
        .hasMessage("delivery == null");
  }

  private static Delivery delivery(String flow, String messageId) {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .headers(Map.of("X-Correlation-ID", LongStringHelper.asLongString(flow)))
        .messageId(messageId).build();
    return new Delivery(ENVELOPE, props, new byte[0]);
  }
}
