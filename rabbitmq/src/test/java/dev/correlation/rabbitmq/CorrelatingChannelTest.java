package dev.correlation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.ConsumerShutdownSignalCallback;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.Correlation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CorrelatingChannelTest {
  private static final Envelope ENVELOPE = new Envelope(1L, false, "", "orders");
  private static final AMQP.BasicProperties INCOMING = new AMQP.BasicProperties.Builder()
      .headers(Map.of("X-Correlation-ID", LongStringHelper.asLongString("flow-in")))
      .messageId("msg-in").build();

  private final RabbitCorrelation rabbit = RabbitCorrelation.create();
  private final FakeChannel fake = FakeChannel.plain();
  private final Channel channel = rabbit.wrap(fake.channel);

  private static List<Method> channelMethods(String name) {
    List<Method> methods = new ArrayList<>();
    for (Method m : Channel.class.getMethods()) {
      if (m.getName().equals(name) && !Modifier.isStatic(m.getModifiers())) {
        methods.add(m);
      }
    }
    return methods;
  }

  @Test
  void appliesPostProcessorsOnEveryPublishOverload() throws Exception {
    List<Method> publishes = channelMethods("basicPublish");
    // newer clients add a fourth, for ByteBuffer bodies (also run against amqp-client 5.0.0)
    assertThat(publishes).hasSize(clientHas("com.rabbitmq.client.WriteListener") ? 4 : 3);
    for (Method publish : publishes) {
      Object[] args = arguments(publish);
      fake.calls.clear();

      Correlation.runWith("flow-1", () -> invoke(publish, channel, args));

      FakeChannel.Call call = fake.last();
      assertThat(call.method()).isEqualTo(publish);
      AMQP.BasicProperties sent = (AMQP.BasicProperties) call.arg(propertiesIndex(publish));
      assertThat(sent.getCorrelationId()).as("%s", publish).isEqualTo("flow-1");
      assertThat(PublishTest.text(sent.getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-1");
      for (int i = 0; i < args.length; i++) {
        if (i != propertiesIndex(publish)) {
          assertThat(call.arg(i)).as("argument %d of %s", i, publish).isSameAs(args[i]);
        }
      }
    }
  }

  @Test
  void publishesPropertiesWhenCallerPassedNone() throws Exception {
    channel.basicPublish("", "orders", null, new byte[0]);

    AMQP.BasicProperties sent = (AMQP.BasicProperties) fake.last().arg(2);
    assertThat(sent.getHeaders()).containsKey("X-Correlation-ID");
    assertThat(sent.getMessageId()).isNotBlank();
  }

  @Test
  void wrapsConsumerOrCallbackOnEveryConsumeOverload() throws Exception {
    List<Method> consumes = channelMethods("basicConsume");
    assertThat(consumes).hasSize(20);
    for (Method consume : consumes) {
      AtomicReference<String> seen = new AtomicReference<>();
      Object[] args = arguments(consume);
      int handler = -1;
      for (int i = 0; i < args.length; i++) {
        Class<?> type = consume.getParameterTypes()[i];
        if (type == Consumer.class) {
          args[i] = new DefaultConsumer(null) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p,
                byte[] body) {
              seen.set(Correlation.currentId());
            }
          };
          handler = i;
        } else if (type == DeliverCallback.class) {
          args[i] = (DeliverCallback) (tag, delivery) -> seen.set(Correlation.currentId());
          handler = i;
        }
      }
      fake.calls.clear();

      invoke(consume, channel, args);

      FakeChannel.Call call = fake.last();
      assertThat(call.method()).isEqualTo(consume);
      Object registered = call.arg(handler);
      assertThat(registered).as("%s", consume).isNotSameAs(args[handler]);
      if (registered instanceof Consumer) {
        ((Consumer) registered).handleDelivery("tag", ENVELOPE, INCOMING, new byte[0]);
      } else {
        ((DeliverCallback) registered).handle("tag", new Delivery(ENVELOPE, INCOMING, new byte[0]));
      }
      assertThat(seen.get()).as("%s", consume).isEqualTo("flow-in");
      for (int i = 0; i < args.length; i++) {
        if (i != handler) {
          assertThat(call.arg(i)).as("argument %d of %s", i, consume).isSameAs(args[i]);
        }
      }
    }
  }

  @Test
  void delegatesEverythingElseUntouched() throws Exception {
    Set<String> ours = Set.of("basicPublish", "basicConsume", "setDefaultConsumer",
        "getDefaultConsumer");
    int checked = 0;
    for (Method method : Channel.class.getMethods()) {
      if (ours.contains(method.getName()) || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Object[] args = arguments(method);
      fake.calls.clear();

      invoke(method, channel, args);

      assertThat(fake.calls).as("%s", method).hasSize(1);
      assertThat(fake.last().method()).isEqualTo(method);
      assertThat(fake.last().args()).as("%s", method).containsExactly(args);
      checked++;
    }
    assertThat(checked).isGreaterThan(60);
  }

  @Test
  void theForwardingBasePassesEveryMethodOnUntouchedPublishAndConsumeIncluded() {
    Channel forwarding = new ForwardingChannel(fake.channel) { };
    int checked = 0;
    for (Method method : Channel.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Object[] args = arguments(method);
      fake.calls.clear();

      invoke(method, forwarding, args);

      assertThat(fake.calls).as("%s", method).hasSize(1);
      assertThat(fake.last().method()).isEqualTo(method);
      assertThat(fake.last().args()).as("%s", method).containsExactly(args);
      checked++;
    }
    assertThat(checked).isGreaterThan(90);
  }

  @Test
  void wrapsDefaultConsumerAndHandsBackTheOriginal() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Consumer mine = new DefaultConsumer(null) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p,
          byte[] body) {
        seen.set(Correlation.currentId());
      }
    };
    channel.setDefaultConsumer(mine);
    Consumer registered = (Consumer) fake.last().arg(0);
    registered.handleDelivery("tag", ENVELOPE, INCOMING, new byte[0]);

    assertThat(registered).isNotSameAs(mine);
    assertThat(seen.get()).isEqualTo("flow-in");
    channel.setDefaultConsumer(null);
    assertThat(fake.last().arg(0)).isNull();
  }

  @Test
  void unwrapsDefaultConsumerOnRead() {
    Consumer mine = new DefaultConsumer(null);
    // a real channel answers what was set on it: the wrapped consumer
    Channel answering = rabbit.wrap((Channel) java.lang.reflect.Proxy.newProxyInstance(
        Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
        (proxy, method, args) -> method.getName().equals("getDefaultConsumer")
            ? rabbit.wrap(mine) : null));

    assertThat(answering.getDefaultConsumer()).isSameAs(mine);
  }

  @Test
  void returnsWrappedChannelAsItIs() {
    assertThat(rabbit.wrap(channel)).isSameAs(channel);
    assertThat(RabbitCorrelation.create().wrap(channel)).isSameAs(channel);
    assertThatThrownBy(() -> rabbit.wrap((Channel) null))
        .isInstanceOf(NullPointerException.class).hasMessage("channel == null");
  }

  @Test
  void staysRecoverableOnlyWhenTheChannelIs() {
    assertThat(channel).isNotInstanceOf(Recoverable.class);
    assertThat(rabbit.wrap(FakeChannel.recoverable().channel)).isInstanceOf(Recoverable.class);
  }

  @Test
  void tellsRecoveryListenersAboutTheWrapper() {
    FakeChannel recoverable = FakeChannel.recoverable();
    Channel wrapped = rabbit.wrap(recoverable.channel);
    List<Recoverable> told = new ArrayList<>();
    RecoveryListener listener = new RecoveryListener() {
      @Override
      public void handleRecovery(Recoverable r) {
        told.add(r);
      }

      @Override
      public void handleRecoveryStarted(Recoverable r) {
        told.add(r);
      }
    };

    ((Recoverable) wrapped).addRecoveryListener(listener);
    RecoveryListener registered = (RecoveryListener) recoverable.last().arg(0);
    registered.handleRecoveryStarted((Recoverable) recoverable.channel);
    registered.handleRecovery((Recoverable) recoverable.channel);
    ((Recoverable) wrapped).removeRecoveryListener(listener);

    assertThat(told).containsExactly((Recoverable) wrapped, (Recoverable) wrapped);
    assertThat(recoverable.last().name()).isEqualTo("removeRecoveryListener");
    assertThat(recoverable.last().arg(0)).isEqualTo(registered); // so the client removes it
  }

  // ---- helpers

  private static boolean clientHas(String className) {
    try {
      Class.forName(className, false, Channel.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static int propertiesIndex(Method publish) {
    return Arrays.asList(publish.getParameterTypes()).indexOf(AMQP.BasicProperties.class);
  }

  private static void invoke(Method method, Object target, Object[] args) {
    try {
      method.invoke(target, args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(method.toString(), e);
    }
  }

  /** Distinct, recognisable arguments for any Channel method. */
  private static Object[] arguments(Method method) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = argument(types[i], i);
    }
    return args;
  }

  private static Object argument(Class<?> type, int i) {
    if (type == String.class) {
      return "arg" + i;
    }
    if (type == boolean.class) {
      return i % 2 == 0;
    }
    if (type == int.class) {
      return 10 + i;
    }
    if (type == long.class) {
      return 100L + i;
    }
    if (type == byte[].class) {
      return new byte[] {(byte) i};
    }
    if (type == ByteBuffer.class) {
      return ByteBuffer.wrap(new byte[] {(byte) i});
    }
    if (type == Map.class) {
      return new HashMap<String, Object>(Map.of("k", i));
    }
    if (type == AMQP.BasicProperties.class) {
      return new AMQP.BasicProperties.Builder().appId("app" + i).build();
    }
    if (type == CancelCallback.class) {
      return (CancelCallback) tag -> { };
    }
    if (type == ConsumerShutdownSignalCallback.class) {
      return (ConsumerShutdownSignalCallback) (tag, signal) -> { };
    }
    if (type.isInterface()) {
      return java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
          (proxy, m, a) -> m.getName().equals("equals") ? proxy == a[0]
              : m.getName().equals("hashCode") ? System.identityHashCode(proxy) : null);
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    return null; // a class such as Envelope is not a Channel parameter; anything else passes null
  }
}
