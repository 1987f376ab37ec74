package dev.correlation.spring.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.LongString;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import dev.correlation.rabbitmq.RabbitCorrelation;
import dev.correlation.testing.CleanThreadExtension;
import java.io.IOException;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

@ExtendWith(CleanThreadExtension.class)
class SpringRabbitCorrelationTest {
  private final SpringRabbitCorrelation rabbit =
      SpringRabbitCorrelation.create(CorrelationConfig.defaults());

  private static Message message(MessageProperties properties) {
    return new Message("body".getBytes(), properties);
  }

  /** A received message of flow {@code flow} with message ID {@code messageId}. */
  private static Message received(String flow, String messageId) {
    MessageProperties properties = new MessageProperties();
    properties.setHeader("X-Correlation-ID", flow);
    properties.setMessageId(messageId);
    return message(properties);
  }

  /** What the MDC says while a listener runs: correlation_id/message_id. */
  private static String mdc() {
    return MDC.get("correlation_id") + "/" + MDC.get("message_id");
  }

  @Test
  void publishWritesHeaderCorrelationIdAndMessageIdWhereEmpty() {
    Message sent = message(new MessageProperties());
    Correlation.runWith("flow-1", () -> rabbit.messagePostProcessor().postProcessMessage(sent));
    MessageProperties p = sent.getMessageProperties();
    assertThat(p.<Object>getHeader("X-Correlation-ID")).isEqualTo("flow-1");
    assertThat(p.getCorrelationId()).isEqualTo("flow-1");
    assertThat(p.getMessageId()).isNotEmpty();
  }

  @Test
  void publishAddsOurBaggageMemberWhenTheConfigurationWritesBaggageKeepingTheOthers() {
    SpringRabbitCorrelation writing = SpringRabbitCorrelation.create(
        CorrelationConfig.builder().writeBaggage(true).build());
    MessageProperties properties = new MessageProperties();
    properties.setHeader("baggage", "tenant=acme");
    Message sent = message(properties);

    Correlation.runWith("flow-1", () -> writing.messagePostProcessor().postProcessMessage(sent));

    assertThat(properties.<Object>getHeader("baggage")).asString()
        .contains("tenant=acme", "flow-1");
    assertThat(properties.<Object>getHeader("X-Correlation-ID")).isEqualTo("flow-1");
  }

  @Test
  void publishKeepsTheTemplatesReplyKeyInCorrelationId() {
    MessageProperties properties = new MessageProperties();
    properties.setCorrelationId("17");
    properties.setHeader("other", "kept");
    Message sent = message(properties);
    Correlation.runWith("flow-1", () -> rabbit.messagePostProcessor().postProcessMessage(sent));
    assertThat(properties.getCorrelationId()).isEqualTo("17");
    assertThat(properties.<Object>getHeader("X-Correlation-ID")).isEqualTo("flow-1");
    assertThat(properties.<Object>getHeader("other")).isEqualTo("kept");
  }

  @Test
  void publishWhileHandlingAMessageWritesItsIdAsCausation() {
    MessageProperties incoming = new MessageProperties();
    incoming.setHeader("X-Correlation-ID", "flow-1");
    incoming.setMessageId("m-1");
    Message sent = message(new MessageProperties());
    try (Scope scope = rabbit.open(message(incoming))) {
      rabbit.messagePostProcessor().postProcessMessage(sent);
    }
    assertThat(sent.getMessageProperties().<Object>getHeader("X-Causation-ID")).isEqualTo("m-1");
    assertThat(sent.getMessageProperties().<Object>getHeader("X-Correlation-ID"))
        .isEqualTo("flow-1");
  }

  @Test
  void receiveIgnoresTheCorrelationIdPropertyOfRpcCallers() {
    MessageProperties incoming = new MessageProperties();
    incoming.setCorrelationId("17");
    incoming.setHeader("X-Correlation-ID", "flow-1");
    assertThat(rabbit.context(message(incoming)).correlationId()).isEqualTo("flow-1");
  }

  @Test
  void errorHandlerWrapsOnce() {
    org.springframework.util.ErrorHandler plain = t -> { };
    org.springframework.util.ErrorHandler wrapped = rabbit.errorHandler(plain);
    assertThat(rabbit.errorHandler(wrapped)).isSameAs(wrapped);
  }

  // --- the shape: factories, builder, fromMap ---

  @Test
  void theBuilderKeepsEachSettingAndToBuilderStartsFromThem() {
    List<String> hooked = new ArrayList<>();
    SpringRabbitCorrelation built = SpringRabbitCorrelation.builder()
        .config(CorrelationConfig.builder().headerName("X-Flow").build())
        .correlationIdFallback(true)
        .errorHook((message, e) -> hooked.add(e.getMessage()))
        .build();
    MessageProperties legacy = new MessageProperties();
    legacy.setCorrelationId("legacy-9");

    for (SpringRabbitCorrelation instance : List.of(built, built.toBuilder().build())) {
      assertThat(instance.context(message(legacy)).correlationId()).isEqualTo("legacy-9");
      assertThatThrownBy(() -> instance.wrap((MessageListener) m -> {
        throw new IllegalStateException("boom");
      }).onMessage(received("f", "m")));
      Message sent = message(new MessageProperties());
      Correlation.runWith("flow-1", () -> instance.messagePostProcessor().postProcessMessage(sent));
      assertThat(sent.getMessageProperties().<Object>getHeader("X-Flow")).isEqualTo("flow-1");
    }
    assertThat(hooked).containsExactly("boom", "boom");
    assertThat(built.toBuilder().correlationIdFallback(false).build()
        .context(message(legacy)).correlationId()).isNotEqualTo("legacy-9");
  }

  @Test
  void createFollowsTheProcessWideConfigurationAsItChanges() {
    SpringRabbitCorrelation following = SpringRabbitCorrelation.create();
    Correlation.configure(CorrelationConfig.builder().headerName("X-Later").build());
    Message sent = message(new MessageProperties());
    Correlation.runWith("flow-1", () -> following.messagePostProcessor().postProcessMessage(sent));
    assertThat(sent.getMessageProperties().<Object>getHeader("X-Later")).isEqualTo("flow-1");
  }

  @Test
  void fromMapReadsTheKeysOfRabbitCorrelationAndIgnoresTheRest() {
    SpringRabbitCorrelation loaded = SpringRabbitCorrelation.fromMap(Map.of(
        "spring.rabbitmq.host", "localhost",
        "correlation.header.name", "X-Flow",
        RabbitCorrelation.CORRELATION_ID_FALLBACK, "true"));
    MessageProperties legacy = new MessageProperties();
    legacy.setCorrelationId("legacy-9");
    MessageProperties ours = new MessageProperties();
    ours.setHeader("X-Flow", "flow-7");

    assertThat(loaded.context(message(legacy)).correlationId()).isEqualTo("legacy-9");
    assertThat(loaded.context(message(ours)).correlationId()).isEqualTo("flow-7");
    assertThat(SpringRabbitCorrelation.fromMap(Map.of()).context(message(legacy)).correlationId())
        .isNotEqualTo("legacy-9");
  }

  @Test
  void fromMapRejectsUnknownKeysAndBadFlagsNamingTheKey() {
    assertThatThrownBy(() -> SpringRabbitCorrelation.fromMap(Map.of("correlation.hedaer", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("correlation.hedaer");
    assertThatThrownBy(() -> SpringRabbitCorrelation.fromMap(
        Map.of(RabbitCorrelation.CORRELATION_ID_FALLBACK, "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(RabbitCorrelation.CORRELATION_ID_FALLBACK);
    assertThatThrownBy(() -> SpringRabbitCorrelation.fromMap(null))
        .isInstanceOf(NullPointerException.class).hasMessage("map == null");
  }

  @Test
  void nullArgumentsFailFastNamingTheArgument() {
    Message m = received("f", "m");
    CorrelationContext flow = CorrelationContext.of("f");
    assertThatThrownBy(() -> rabbit.wrap((MessageListener) null))
        .isInstanceOf(NullPointerException.class).hasMessage("listener == null");
    assertThatThrownBy(() -> rabbit.wrap((ChannelAwareMessageListener) null))
        .isInstanceOf(NullPointerException.class).hasMessage("listener == null");
    assertThatThrownBy(() -> rabbit.forEach(null, x -> { }))
        .isInstanceOf(NullPointerException.class).hasMessage("messages == null");
    assertThatThrownBy(() -> rabbit.forEach(List.of(m), null))
        .isInstanceOf(NullPointerException.class).hasMessage("handler == null");
    assertThatThrownBy(() -> rabbit.forEach(Arrays.asList(m, null), x -> { }))
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
    assertThatThrownBy(() -> rabbit.inject(null, flow))
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
    assertThatThrownBy(() -> rabbit.inject(m, null))
        .isInstanceOf(NullPointerException.class).hasMessage("flow == null");
    assertThatThrownBy(() -> rabbit.context(null))
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
    assertThatThrownBy(() -> rabbit.open(null))
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
    assertThatThrownBy(() -> SpringRabbitCorrelation.create(null))
        .isInstanceOf(NullPointerException.class).hasMessage("config == null");
    assertThatThrownBy(() -> SpringRabbitCorrelation.builder().errorHook(null))
        .isInstanceOf(NullPointerException.class).hasMessage("errorHook == null");
  }

  // --- wrap ---

  @Test
  void aWrappedListenerRunsInTheMessagesFlowAndLeavesTheThreadAsItWas() {
    List<String> seen = new ArrayList<>();
    MessageListener listener = rabbit.wrap((MessageListener) m -> seen.add(mdc()));

    try (Scope outer = Correlation.open("outer")) {
      listener.onMessage(received("flow-1", "m-1"));
      seen.add(Correlation.currentId());
    }
    assertThat(seen).containsExactly("flow-1/m-1", "outer");
  }

  @Test
  void aWrappedChannelAwareListenerGetsTheChannelAndItsCheckedExceptionUnchanged() {
    Channel channel = channel(new ArrayList<>());
    IOException io = new IOException("ack failed");
    List<Object> seen = new ArrayList<>();
    ChannelAwareMessageListener listener = rabbit.wrap((m, c) -> {
      seen.add(mdc());
      seen.add(c);
      throw io;
    });

    assertThatThrownBy(() -> listener.onMessage(received("flow-2", "m-2"), channel)).isSameAs(io);
    assertThat(seen).containsExactly("flow-2/m-2", channel);
    CleanThreadExtension.assertClean("after the failed listener");
  }

  @Test
  void aPlainListenerWrappedIsChannelAwareForTheContainer() throws Exception {
    List<String> seen = new ArrayList<>();
    MessageListener listener = rabbit.wrap((MessageListener) m -> seen.add(mdc()));

    ((ChannelAwareMessageListener) listener).onMessage(received("flow-3", "m-3"), null);
    assertThat(seen).containsExactly("flow-3/m-3");
  }

  @Test
  void theErrorHookRunsInsideTheFailingMessagesFlowAndTheExceptionPassesUnchanged() {
    List<String> hooked = new ArrayList<>();
    SpringRabbitCorrelation hooking = rabbit.toBuilder()
        .errorHook((m, e) -> hooked.add(mdc() + " " + e.getMessage()))
        .build();
    IllegalStateException boom = new IllegalStateException("boom");
    MessageListener listener = hooking.wrap((MessageListener) m -> {
      throw boom;
    });

    assertThatThrownBy(() -> listener.onMessage(received("flow-4", "m-4"))).isSameAs(boom);
    assertThat(hooked).containsExactly("flow-4/m-4 boom");
    CleanThreadExtension.assertClean("after the failed listener");
  }

  @Test
  void wrappingTwiceReturnsTheSameListener() {
    MessageListener plain = m -> { };
    ChannelAwareMessageListener channelAware = (m, c) -> { };
    MessageListener once = rabbit.wrap(plain);
    ChannelAwareMessageListener onceAware = rabbit.wrap(channelAware);

    assertThat(rabbit.wrap(once)).isSameAs(once);
    assertThat(rabbit.wrap((ChannelAwareMessageListener) once)).isSameAs(once);
    assertThat(rabbit.wrap(onceAware)).isSameAs(onceAware);
    assertThat(SpringRabbitCorrelation.create().wrap(once)).isNotSameAs(once);
  }

  @Test
  void aWrappedListenerPassesBatchesAndContainerSettingsToItsDelegate() {
    List<Object> seen = new ArrayList<>();
    MessageListener delegate = new MessageListener() {
      @Override
      public void onMessage(Message message) { }

      @Override
      public void onMessageBatch(List<Message> messages) {
        seen.add(messages.size() + " " + Correlation.currentId());
      }

      @Override
      public void containerAckMode(AcknowledgeMode mode) {
        seen.add(mode);
      }

      @Override
      public boolean isAsyncReplies() {
        return true;
      }
    };
    MessageListener listener = rabbit.wrap(delegate);

    ((ChannelAwareMessageListener) listener).onMessageBatch(
        List.of(received("a", "1"), received("b", "2")), null);
    listener.containerAckMode(AcknowledgeMode.MANUAL);
    assertThat(listener.isAsyncReplies()).isTrue();
    assertThat(seen).containsExactly("2 null", AcknowledgeMode.MANUAL);
  }

  // --- forEach ---

  @Test
  void forEachHandlesEachMessageInItsOwnFlowAndStopsAtTheFirstFailure() {
    List<String> seen = new ArrayList<>();
    List<String> hooked = new ArrayList<>();
    SpringRabbitCorrelation hooking = rabbit.toBuilder()
        .errorHook((m, e) -> hooked.add(mdc())).build();
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> hooking.forEach(
        List.of(received("a", "1"), received("b", "2"), received("c", "3")), m -> {
          seen.add(mdc());
          if (m.getMessageProperties().getMessageId().equals("2")) {
            throw boom;
          }
        })).isSameAs(boom);
    assertThat(seen).containsExactly("a/1", "b/2");
    assertThat(hooked).containsExactly("b/2");
  }

  // --- the listener advice ---

  @Test
  void theListenerAdviceRunsTheListenerInTheFlowWithTheErrorHook() {
    List<String> hooked = new ArrayList<>();
    SpringRabbitCorrelation hooking = rabbit.toBuilder()
        .errorHook((m, e) -> hooked.add(mdc() + " " + e.getMessage())).build();
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicReference<String> inListener = new AtomicReference<>();

    assertThatThrownBy(() -> hooking.listenerAdvice().invoke(invocation(
        new Object[] {null, received("flow-5", "m-5")}, () -> {
          inListener.set(mdc());
          throw boom;
        }))).isSameAs(boom);
    assertThat(inListener.get()).isEqualTo("flow-5/m-5");
    assertThat(hooked).containsExactly("flow-5/m-5 boom");
  }

  @Test
  void theListenerAdvicePassesABatchThroughOutsideAnyFlow() throws Throwable {
    AtomicReference<String> inListener = new AtomicReference<>("not called");
    Object result = rabbit.listenerAdvice().invoke(invocation(
        new Object[] {null, List.of(received("a", "1"))}, () -> {
          inListener.set(Correlation.currentId());
          return "batch done";
        }));
    assertThat(result).isEqualTo("batch done");
    assertThat(inListener.get()).isNull();
  }

  // --- inject ---

  @Test
  void injectWritesTheGivenFlowWhichThePostProcessorLeavesAloneInsideAnotherFlow() {
    CorrelationContext flowB = CorrelationContext.of("flow-b", "orders-7", null);
    Message sent = message(new MessageProperties());

    try (Scope flowA = rabbit.open(received("flow-a", "m-a"))) {
      assertThat(rabbit.inject(sent, flowB)).isSameAs(sent);
      rabbit.messagePostProcessor().postProcessMessage(sent);
      rabbit.messagePostProcessor().postProcessMessage(sent); // a template that sends it again
    }

    MessageProperties p = sent.getMessageProperties();
    assertThat(p.<Object>getHeader("X-Correlation-ID")).hasToString("flow-b");
    assertThat(p.<Object>getHeader("X-Causation-ID")).hasToString("orders-7");
    assertThat(p.getCorrelationId()).isEqualTo("flow-b");
    assertThat(p.getMessageId()).isNotEmpty().isNotEqualTo("orders-7");
  }

  @Test
  void aTemplateSendAfterInjectPublishesTheGivenFlowInsideAnotherFlow() {
    List<AMQP.BasicProperties> published = new ArrayList<>();
    RabbitTemplate template = new RabbitTemplate(connectionFactory(channel(published)));
    template.addBeforePublishPostProcessors(rabbit.messagePostProcessor());
    CorrelationContext flowB = CorrelationContext.of("flow-b", "orders-7", null);

    try (Scope flowA = rabbit.open(received("flow-a", "m-a"))) {
      template.send("", "shipments", rabbit.inject(message(new MessageProperties()), flowB));
      template.send("", "shipments", message(new MessageProperties()));
    }

    assertThat(published).hasSize(2);
    assertThat(text(published.get(0).getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-b");
    assertThat(text(published.get(0).getHeaders().get("X-Causation-ID"))).isEqualTo("orders-7");
    assertThat(published.get(0).getCorrelationId()).isEqualTo("flow-b");
    assertThat(text(published.get(1).getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-a");
    assertThat(text(published.get(1).getHeaders().get("X-Causation-ID"))).isEqualTo("m-a");
  }

  private static String text(Object headerValue) {
    return headerValue instanceof LongString ? headerValue.toString()
        : headerValue instanceof byte[] ? new String((byte[]) headerValue, StandardCharsets.UTF_8)
        : (String) headerValue;
  }

  /** An invocation of a container's {@code invokeListener(channel, data)}. */
  private static MethodInvocation invocation(Object[] arguments, Proceed proceed) {
    return new MethodInvocation() {
      @Override
      public Method getMethod() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Object[] getArguments() {
        return arguments;
      }

      @Override
      public Object proceed() throws Throwable {
        return proceed.proceed();
      }

      @Override
      public Object getThis() {
        return this;
      }

      @Override
      public AccessibleObject getStaticPart() {
        throw new UnsupportedOperationException();
      }
    };
  }

  private interface Proceed {
    Object proceed() throws Throwable;
  }

  /** A channel that records the properties of each publish; every other call is a no-op. */
  private static Channel channel(List<AMQP.BasicProperties> published) {
    return (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
        new Class<?>[] {Channel.class}, (proxy, method, args) -> {
          if (method.getName().equals("equals")) {
            return proxy == args[0];
          }
          if (method.getName().equals("basicPublish")) {
            for (Object arg : args) {
              if (arg instanceof AMQP.BasicProperties) {
                published.add((AMQP.BasicProperties) arg);
              }
            }
          }
          return defaultValue(method);
        });
  }

  /** A Spring connection factory whose connections hand out {@code channel}. */
  private static ConnectionFactory connectionFactory(Channel channel) {
    Connection connection = (Connection) Proxy.newProxyInstance(
        Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> method.getName().equals("createChannel") ? channel
            : defaultValue(method));
    return (ConnectionFactory) Proxy.newProxyInstance(ConnectionFactory.class.getClassLoader(),
        new Class<?>[] {ConnectionFactory.class},
        (proxy, method, args) -> method.getName().equals("createConnection") ? connection
            : defaultValue(method));
  }

  private static Object defaultValue(Method method) {
    Class<?> type = method.getReturnType();
    if (type == boolean.class) {
      return method.getName().equals("isOpen");
    }
    if (type == int.class || type == long.class) {
      return type == int.class ? (Object) 0 : (Object) 0L;
    }
    return type == String.class ? "test" : null;
  }
}
