package dev.correlation.spring.amqp;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.ErrorHook;
import dev.correlation.Scope;
import dev.correlation.rabbitmq.RabbitCorrelation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.util.ErrorHandler;

/**
 * Correlation for Spring AMQP, over the rules of {@link RabbitCorrelation}: the same headers, the
 * same {@code correlation_id} and {@code message_id} handling, the same validation, for Spring's
 * {@link Message} instead of the client's properties. Boot applications get all of it from the
 * auto-configuration; the methods are for containers and templates built by hand, and for batch
 * listeners.
 *
 * <pre>{@code
 * SpringRabbitCorrelation rabbit = SpringRabbitCorrelation.builder()
 *     .errorHook((message, e) -> log.error("order failed", e))   // logs with the message's flow
 *     .build();
 * template.addBeforePublishPostProcessors(rabbit.messagePostProcessor());
 * container.setMessageListener(rabbit.wrap(message -> process(message)));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #messagePostProcessor()}: for {@code RabbitTemplate.addBeforePublishPostProcessors}.
 *       Writes the flow into the {@code X-Correlation-ID} header always, into the
 *       {@code correlation_id} property only when it is empty (so {@code sendAndReceive} keeps the
 *       template's own reply key), and a {@code message_id} when there is none.</li>
 *   <li>{@link #listenerAdvice()}: first in a listener container's advice chain (simple or direct
 *       container); handles each delivered message in its flow.</li>
 *   <li>{@link #wrap(MessageListener)}: the same for one listener, where there is no advice chain
 *       to add to.</li>
 *   <li>{@link #errorHandler(ErrorHandler)}: runs a container's error handler in the failed
 *       message's flow, so its log line carries the ID (the advice chain has closed by then).</li>
 *   <li>{@link #open(Message)} / {@link #forEach(List, Consumer)}: for batch listeners, which get a
 *       whole list at once: one flow per message.</li>
 *   <li>{@link #inject(Message, CorrelationContext)}: a send on behalf of a flow that is not
 *       current on the sending thread.</li>
 * </ul>
 *
 * <p>The receive side reads the header (and its aliases); the {@code correlation_id} property only
 * if you {@linkplain Builder#correlationIdFallback ask for it}. Bad or missing IDs on a received
 * message get a fresh ID and a rate-limited WARN; header content never makes these methods throw.
 * When a listener throws, the {@linkplain Builder#errorHook error hook} runs inside the failing
 * message's scope; then the exception passes on unchanged, after the scope is closed.
 *
 * <p>Instances are immutable and thread safe; one per application is enough.
 */
public final class SpringRabbitCorrelation {
  private final @Nullable CorrelationConfig config;
  private final boolean correlationIdFallback;
  private final @Nullable ErrorHook<? super Message> errorHook;
  private final RabbitCorrelation rabbit;
  private final CorrelationPropagator propagator;
  private final MessagePostProcessor postProcessor;
  private final MethodInterceptor advice;

  private SpringRabbitCorrelation(Builder builder) {
    config = builder.config;
    correlationIdFallback = builder.correlationIdFallback;
    errorHook = builder.errorHook;
    CorrelationConfig own = config;
    RabbitCorrelation.Builder rabbitBuilder =
        RabbitCorrelation.builder().correlationIdFallback(correlationIdFallback);
    if (own != null) {
      rabbitBuilder.config(own);
    }
    rabbit = rabbitBuilder.build();
    propagator = own == null ? CorrelationPropagator.create() : CorrelationPropagator.create(own);
    postProcessor = new CorrelationMessagePostProcessor(rabbit, propagator);
    advice = new CorrelationListenerAdvice(this);
  }

  /**
   * An instance that follows the process-wide configuration, {@link Correlation#config()}, as it
   * changes; no {@code correlation_id} fallback, no error hook.
   */
  public static SpringRabbitCorrelation create() {
    return builder().build();
  }

  /**
   * An instance with its own configuration; no {@code correlation_id} fallback, no error hook.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static SpringRabbitCorrelation create(CorrelationConfig config) {
    return builder().config(config).build();
  }

  /**
   * An instance from string settings: {@value RabbitCorrelation#CORRELATION_ID_FALLBACK} plus
   * every {@code correlation.*} key of {@link CorrelationConfig#fromMap(Map)}, as
   * {@link RabbitCorrelation#fromMap(Map)} reads them; other keys are ignored. No error hook.
   *
   * @throws NullPointerException if {@code map} is null
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key or a
   *     value that is not an allowed string
   */
  public static SpringRabbitCorrelation fromMap(Map<String, ?> map) {
    Objects.requireNonNull(map, "map == null");
    return builder()
        .config(CorrelationConfig.fromMap(map, Set.of(RabbitCorrelation.CORRELATION_ID_FALLBACK)))
        .correlationIdFallback(
            CorrelationConfig.flag(map, RabbitCorrelation.CORRELATION_ID_FALLBACK, false))
        .build();
  }

  /**
   * A builder: the process-wide configuration, no {@code correlation_id} fallback and no error
   * hook, until told otherwise.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this instance's settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.config = config;
    builder.correlationIdFallback = correlationIdFallback;
    builder.errorHook = errorHook;
    return builder;
  }

  /**
   * Writes the current flow into each message a {@code RabbitTemplate} publishes, by the rules
   * above; leaves a message written by {@link #inject(Message, CorrelationContext)} alone.
   */
  public MessagePostProcessor messagePostProcessor() {
    return postProcessor;
  }

  /**
   * An advice for a listener container's advice chain (put it first): the listener runs in the
   * flow of the delivered message, with the error hook if it throws; a batch (a list of messages)
   * passes through unchanged, for the listener to open each message with {@link #open(Message)}
   * or {@link #forEach(List, Consumer)}.
   */
  public MethodInterceptor listenerAdvice() {
    return advice;
  }

  /**
   * {@code delegate}, run in the flow of the message whose listener failed, when the error names
   * one; otherwise as it is. Wrapping a wrapped handler returns it.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public ErrorHandler errorHandler(ErrorHandler delegate) {
    Objects.requireNonNull(delegate, "delegate == null");
    return delegate instanceof CorrelatingErrorHandler
        ? delegate : new CorrelatingErrorHandler(this, delegate);
  }

  /**
   * A listener that runs {@code listener} in the {@link #context(Message) flow} of each message,
   * for a container set up by hand ({@code container.setMessageListener(rabbit.wrap(...))}) or a
   * listener called by your own code. The thread's previous context and MDC values are restored
   * when it returns or throws; if it throws, the error hook runs first, inside the message's
   * scope, and the exception passes through unchanged. A batch ({@code onMessageBatch}) is handed
   * to {@code listener} as it is: open each message there with {@link #forEach(List, Consumer)}.
   * The returned listener is channel-aware, so a container hands it the channel; a listener
   * already wrapped by this instance is returned as it is. As thread safe as {@code listener}.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public MessageListener wrap(MessageListener listener) {
    return wrapListener(listener);
  }

  /**
   * Like {@link #wrap(MessageListener)}, for a listener that takes the channel too (manual
   * acknowledgement): {@code onMessage(message, channel)} runs in the message's flow, and what it
   * throws, checked exceptions included, passes through unchanged after the error hook.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public ChannelAwareMessageListener wrap(ChannelAwareMessageListener listener) {
    return wrapListener(listener);
  }

  private ChannelAwareMessageListener wrapListener(MessageListener listener) {
    Objects.requireNonNull(listener, "listener == null");
    if (listener instanceof CorrelatingMessageListener
        && ((CorrelatingMessageListener) listener).owner == this) {
      return (CorrelatingMessageListener) listener;
    }
    return new CorrelatingMessageListener(this, listener);
  }

  /**
   * The flow of a received message: its correlation ID (a fresh one, with a rate-limited WARN,
   * when missing or bad), its {@code message_id} as message ID, and the ID of the message that
   * caused it. Never throws because of header content.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public CorrelationContext context(Message message) {
    Objects.requireNonNull(message, "message == null");
    return rabbit.context(null, MessageCarrier.toClient(message.getMessageProperties()));
  }

  /**
   * Opens the {@link #context(Message) flow} of {@code message} on this thread and writes it to the
   * MDC, until the returned scope is closed; for listeners that do not fit {@link #wrap} or
   * {@link #forEach}: {@code try (Scope s = rabbit.open(message)) { ... }}.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public Scope open(Message message) {
    return propagator.open(context(message));
  }

  /**
   * Runs {@code handler} over the messages of a batch, in order, each message in its own
   * {@link #context(Message) flow}: no message is handled in the flow of another. Like a plain
   * {@code for} loop, it stops at the first exception {@code handler} throws, which passes through
   * unchanged after the error hook ran and the message's scope is closed; the messages not yet
   * handled are left alone (the container rejects or requeues the batch as configured).
   *
   * @throws NullPointerException if {@code messages}, an element of it, or {@code handler} is null
   */
  public void forEach(List<Message> messages, Consumer<? super Message> handler) {
    Objects.requireNonNull(messages, "messages == null");
    Objects.requireNonNull(handler, "handler == null");
    for (int i = 0, n = messages.size(); i < n; i++) {
      handle(messages.get(i), handler::accept); // a null element: "message == null"
    }
  }

  /**
   * Writes {@code flow} into {@code message}, for a send on behalf of a flow that is not current on
   * this thread (a callback, a sender thread, a relay that forwards for many flows): the
   * correlation header becomes the flow's ID and, when the flow is handling a message, the
   * causation header that message's ID; {@code correlation_id} and {@code message_id} are filled
   * where empty, as on every publish. The {@link #messagePostProcessor() post-processor} leaves a
   * message written this way alone, inside any other flow. The headers hold AMQP long strings
   * (their type is what marks the flow as given); the wire shows the same text as always. Never
   * throws because of the message's content.
   *
   * <pre>{@code
   * CorrelationContext flow = rabbit.context(received);            // or Correlation.current()...
   * relay.execute(() -> template.send("", "shipments", rabbit.inject(message, flow)));
   * }</pre>
   *
   * @return {@code message}, its properties written
   * @throws NullPointerException if {@code message} or {@code flow} is null
   */
  public Message inject(Message message, CorrelationContext flow) {
    Objects.requireNonNull(message, "message == null");
    Objects.requireNonNull(flow, "flow == null");
    MessageProperties properties = message.getMessageProperties();
    MessageCarrier.copyBack(rabbit.inject(MessageCarrier.toClient(properties), flow), properties,
        propagator.config(), true);
    return message;
  }

  /** Runs {@code handler} in the flow of {@code message}, with the error hook on failure. */
  <X extends Throwable> void handle(Message message,
      CorrelationPropagator.Handler<? super Message, X> handler) throws X {
    propagator.handle(message, context(message), handler, errorHook);
  }

  @Override
  public String toString() {
    return "SpringRabbitCorrelation{" + rabbit + '}';
  }

  /** Builds a {@link SpringRabbitCorrelation}. Not thread safe; the result is. */
  public static final class Builder {
    private @Nullable CorrelationConfig config;
    private boolean correlationIdFallback;
    private @Nullable ErrorHook<? super Message> errorHook;

    private Builder() {}

    /**
     * Its own configuration, instead of following the process-wide one.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public Builder config(CorrelationConfig config) {
      this.config = Objects.requireNonNull(config, "config == null");
      return this;
    }

    /**
     * Whether a message without a correlation header joins the flow named by its AMQP
     * {@code correlation_id} property, as {@link RabbitCorrelation.Builder#correlationIdFallback}.
     * Off by default: {@code RabbitTemplate} puts per-request reply keys there.
     */
    public Builder correlationIdFallback(boolean fallback) {
      correlationIdFallback = fallback;
      return this;
    }

    /**
     * Runs when a listener fails (through the {@link SpringRabbitCorrelation#listenerAdvice()
     * advice}, a {@link SpringRabbitCorrelation#wrap(MessageListener) wrapped listener} or
     * {@link SpringRabbitCorrelation#forEach}), inside the failing message's scope, before the
     * exception passes on unchanged (to the container and its error handler). None by default.
     *
     * @throws NullPointerException if {@code errorHook} is null
     */
    public Builder errorHook(ErrorHook<? super Message> errorHook) {
      this.errorHook = Objects.requireNonNull(errorHook, "errorHook == null");
      return this;
    }

    /** The instance. */
    public SpringRabbitCorrelation build() {
      return new SpringRabbitCorrelation(this);
    }
  }
}
