package dev.correlation.spring.sqs;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.ErrorHook;
import dev.correlation.Scope;
import dev.correlation.sqs.SqsCorrelation;
import io.awspring.cloud.sqs.listener.MessageListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import io.awspring.cloud.sqs.support.converter.HeaderMapper;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Correlation for Spring Cloud AWS SQS, over the rules of {@link SqsCorrelation}: the same
 * attributes, the same 10-attribute budget, the same validation. Boot applications get all of it
 * from the auto-configuration; the methods are for containers, templates and converters built by
 * hand, and for batch listeners.
 *
 * <pre>{@code
 * SpringSqsCorrelation sqs = SpringSqsCorrelation.builder()
 *     .errorHook((message, e) -> log.error("order failed", e))   // logs with the message's flow
 *     .build();
 * SqsMessageListenerContainer<String> container = SqsMessageListenerContainer.<String>builder()
 *     .sqsAsyncClient(client).queueNames("orders")
 *     .messageListener(sqs.wrap(message -> process(message)))
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #messageInterceptor()}: for a listener container; handles each message in its flow,
 *       the listener and the container's error handler included, and leaves the thread clean.</li>
 *   <li>{@link #wrap(MessageListener)}: the same for one listener, in a container without the
 *       interceptor.</li>
 *   <li>{@link #headerMapper(HeaderMapper)}: for {@code SqsMessagingMessageConverter.setHeaderMapper};
 *       writes the flow into the attributes of every message {@code SqsTemplate} converts, on the
 *       thread that calls {@code send}, counting Spring's own attributes ({@code JavaType} ...)
 *       against the limit of 10. {@code SqsTemplate} sends the first message to a queue from an
 *       SDK thread, after looking up the queue: the flow is already in the message by then.</li>
 *   <li>{@link #open(Message)} / {@link #forEach(List, Consumer)}: for batch listeners, one flow
 *       per message.</li>
 *   <li>{@link #inject(Message, CorrelationContext)}: a send on behalf of a flow that is not
 *       current on the sending thread.</li>
 * </ul>
 *
 * <p>Messages are read from the raw SQS message Spring keeps in the {@code Sqs_SourceData} header
 * (else from the headers Spring mapped the attributes to); bad or missing IDs get a fresh ID and a
 * rate-limited WARN, and header content never makes these methods throw. When a listener throws,
 * the {@linkplain Builder#errorHook error hook} runs inside the failing message's scope; then the
 * exception passes on unchanged, after the scope is closed.
 *
 * <p>Instances are immutable and thread safe; one per application is enough.
 */
public final class SpringSqsCorrelation {
  private static final CorrelationPropagator.Getter<MessageHeaders> SPRING_HEADERS =
      (headers, name) -> headers.get(name);

  private final @Nullable CorrelationConfig config;
  private final boolean strict;
  private final @Nullable ErrorHook<? super Message<?>> errorHook;
  private final SqsCorrelation sqs;
  private final CorrelationPropagator propagator;
  private final MessageInterceptor<Object> interceptor;

  private SpringSqsCorrelation(Builder builder) {
    config = builder.config;
    strict = builder.strict;
    errorHook = builder.errorHook;
    CorrelationConfig own = config;
    SqsCorrelation.Builder sqsBuilder = SqsCorrelation.builder().strict(strict);
    if (own != null) {
      sqsBuilder.config(own);
    }
    sqs = sqsBuilder.build();
    propagator = own == null ? CorrelationPropagator.create() : CorrelationPropagator.create(own);
    interceptor = new CorrelationMessageInterceptor(this);
  }

  /**
   * An instance that follows the process-wide configuration, {@link Correlation#config()}, as it
   * changes; not strict, no error hook.
   */
  public static SpringSqsCorrelation create() {
    return builder().build();
  }

  /**
   * An instance with its own configuration; not strict, no error hook.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static SpringSqsCorrelation create(CorrelationConfig config) {
    return builder().config(config).build();
  }

  /**
   * An instance from string settings: {@value SqsCorrelation#STRICT} plus every
   * {@code correlation.*} key of {@link CorrelationConfig#fromMap(Map)}, as
   * {@link SqsCorrelation#fromMap(Map)} reads them; other keys are ignored. No error hook.
   *
   * @throws NullPointerException if {@code map} is null
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key or a
   *     value that is not an allowed string
   */
  public static SpringSqsCorrelation fromMap(Map<String, ?> map) {
    Objects.requireNonNull(map, "map == null");
    return builder().config(CorrelationConfig.fromMap(map, Set.of(SqsCorrelation.STRICT)))
        .strict(CorrelationConfig.flag(map, SqsCorrelation.STRICT, false)).build();
  }

  /**
   * A builder: the process-wide configuration, not strict and no error hook, until told otherwise.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this instance's settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.config = config;
    builder.strict = strict;
    builder.errorHook = errorHook;
    return builder;
  }

  /**
   * The {@link SqsCorrelation} underneath, with this instance's configuration and strictness: its
   * execution interceptor goes on the SDK client.
   */
  public SqsCorrelation sqs() {
    return sqs;
  }

  /**
   * Opens each message's flow before the listener and closes it in {@code afterProcessing}, after
   * the container's error handler; when processing ends in a failure (the listener threw and no
   * error handler recovered), the error hook runs first, in the message's flow, with the failure as
   * the container reports it.
   */
  public MessageInterceptor<Object> messageInterceptor() {
    return interceptor;
  }

  /**
   * {@code delegate}, with the current flow written into the attributes of each message it maps
   * for sending, or the flow a message was {@linkplain #inject written for}. Receiving is left to
   * {@code delegate}. Wrapping a wrapped mapper returns it.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public HeaderMapper<software.amazon.awssdk.services.sqs.model.Message> headerMapper(
      HeaderMapper<software.amazon.awssdk.services.sqs.model.Message> delegate) {
    Objects.requireNonNull(delegate, "delegate == null");
    return delegate instanceof CorrelatingHeaderMapper
        ? delegate : new CorrelatingHeaderMapper(this, delegate);
  }

  /**
   * A listener that runs {@code listener} in the {@link #context(Message) flow} of each message,
   * for a container without the {@link #messageInterceptor() interceptor} (one built by hand) or a
   * listener called by your own code. The thread's previous context and MDC values are restored
   * when it returns or throws; if it throws, the error hook runs first, inside the message's scope,
   * and the exception passes through unchanged. A batch ({@code onMessage(Collection)}) is handed
   * to {@code listener} as it is: open each message there with {@link #forEach(List, Consumer)}. A
   * listener already wrapped by this instance is returned as it is. As thread safe as
   * {@code listener}.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public <T> MessageListener<T> wrap(MessageListener<T> listener) {
    Objects.requireNonNull(listener, "listener == null");
    if (listener instanceof CorrelatingListener
        && ((CorrelatingListener<?>) listener).owner == this) {
      return listener;
    }
    return new CorrelatingListener<>(this, listener);
  }

  /**
   * The flow of a received message: its correlation ID (a fresh one, with a rate-limited WARN,
   * when missing or bad), its SQS {@code MessageId} as message ID, and the ID of the message that
   * caused it. Read from the raw SQS message in the {@code Sqs_SourceData} header; a message
   * without one (it did not come from SQS through Spring Cloud AWS) is read from its Spring
   * headers, by the same rules, without a message ID. Never throws because of header content.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public CorrelationContext context(Message<?> message) {
    Objects.requireNonNull(message, "message == null");
    Object raw = message.getHeaders().get(SqsHeaders.SQS_SOURCE_DATA_HEADER);
    return raw instanceof software.amazon.awssdk.services.sqs.model.Message
        ? sqs.context((software.amazon.awssdk.services.sqs.model.Message) raw)
        : propagator.extract(message.getHeaders(), SPRING_HEADERS, null);
  }

  /**
   * Opens the {@link #context(Message) flow} of {@code message} on this thread and writes it to the
   * MDC, until the returned scope is closed; for listeners that do not fit {@link #wrap} or
   * {@link #forEach}.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public Scope open(Message<?> message) {
    return propagator.open(context(message));
  }

  /**
   * Runs {@code handler} over the messages of a batch, in order, each message in its own
   * {@link #context(Message) flow}: no message is handled in the flow of another. Like a plain
   * {@code for} loop, it stops at the first exception {@code handler} throws, which passes through
   * unchanged after the error hook ran and the message's scope is closed; the messages not yet
   * handled are left alone (SQS delivers them again after their visibility timeout, unless the
   * container acknowledges the batch).
   *
   * @throws NullPointerException if {@code messages}, an element of it, or {@code handler} is null
   */
  public <T> void forEach(List<Message<T>> messages, Consumer<? super Message<T>> handler) {
    Objects.requireNonNull(messages, "messages == null");
    Objects.requireNonNull(handler, "handler == null");
    for (int i = 0, n = messages.size(); i < n; i++) {
      handle(messages.get(i), handler); // a null element: "message == null"
    }
  }

  /**
   * A copy of {@code message} whose headers carry {@code flow}, for a send on behalf of a flow that
   * is not current on this thread (a callback, a sender thread, a relay that forwards for many
   * flows): the correlation header is the flow's ID and, when the flow is handling a message, the
   * causation header that message's ID. {@code SqsTemplate} sends them as String attributes like
   * any header; the {@link #headerMapper correlating header mapper} writes this flow rather than
   * the one current where the message is sent, and the SDK interceptor then leaves it alone. (A
   * converter without the correlating mapper sends the headers as they are, and the interceptor
   * replaces them inside another flow.) The header values are text, though not {@code String}s:
   * their type is what marks the flow as given. Payload and other headers are kept.
   *
   * <pre>{@code
   * CorrelationContext flow = sqs.context(received);               // or Correlation.current()...
   * relay.execute(() -> template.send("shipments", sqs.inject(message, flow)));
   * }</pre>
   *
   * @throws NullPointerException if {@code message} or {@code flow} is null
   */
  public <T> Message<T> inject(Message<T> message, CorrelationContext flow) {
    Objects.requireNonNull(message, "message == null");
    Objects.requireNonNull(flow, "flow == null");
    return ExplicitHeaders.write(message, propagator, flow);
  }

  /**
   * The attributes of a message being sent, with the flow its headers were written for, else the
   * current one.
   *
   * @throws SdkClientException in strict mode, when an attribute of ours does not fit
   */
  SendMessageBatchRequestEntry beforeSend(MessageHeaders headers,
      SendMessageBatchRequestEntry entry) {
    CorrelationContext explicit =
        ExplicitHeaders.flowOf(headers, propagator.config().headerName());
    return explicit != null ? sqs.inject(entry, explicit) : sqs.decorate(entry);
  }

  /** Runs the error hook, if any, for a message whose processing failed. */
  void onError(Message<?> message, Throwable failure) {
    ErrorHook<? super Message<?>> hook = errorHook;
    if (hook != null) {
      propagator.runErrorHook(hook, message, failure);
    }
  }

  private <T> void handle(Message<T> message, Consumer<? super Message<T>> handler) {
    propagator.handle(message, context(message), handler::accept, errorHook);
  }

  @Override
  public String toString() {
    return "SpringSqsCorrelation{" + sqs + '}';
  }

  /** Builds a {@link SpringSqsCorrelation}. Not thread safe; the result is. */
  public static final class Builder {
    private @Nullable CorrelationConfig config;
    private boolean strict;
    private @Nullable ErrorHook<? super Message<?>> errorHook;

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
     * Strict mode, as {@link SqsCorrelation.Builder#strict(boolean)}: a send whose message has no
     * room left for one of our attributes fails before it leaves, with an
     * {@link SdkClientException} naming the message, instead of going out without the attribute.
     * Off by default.
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Runs when a listener fails (through the {@link SpringSqsCorrelation#messageInterceptor()
     * interceptor}, a {@link SpringSqsCorrelation#wrap(MessageListener) wrapped listener} or
     * {@link SpringSqsCorrelation#forEach}), inside the failing message's scope, before the
     * exception passes on unchanged. None by default.
     *
     * @throws NullPointerException if {@code errorHook} is null
     */
    public Builder errorHook(ErrorHook<? super Message<?>> errorHook) {
      this.errorHook = Objects.requireNonNull(errorHook, "errorHook == null");
      return this;
    }

    /** The instance. */
    public SpringSqsCorrelation build() {
      return new SpringSqsCorrelation(this);
    }
  }

  /** Runs a listener in each message's flow; batches pass through. */
  private static final class CorrelatingListener<T> implements MessageListener<T> {
    final SpringSqsCorrelation owner;
    private final MessageListener<T> delegate;

    CorrelatingListener(SpringSqsCorrelation owner, MessageListener<T> delegate) {
      this.owner = owner;
      this.delegate = delegate;
    }

    @Override
    public void onMessage(Message<T> message) {
      owner.handle(message, delegate::onMessage);
    }

    @Override
    public void onMessage(Collection<Message<T>> messages) {
      delegate.onMessage(messages);
    }

    @Override
    public String toString() {
      return "CorrelatingListener{" + delegate + '}';
    }
  }
}
