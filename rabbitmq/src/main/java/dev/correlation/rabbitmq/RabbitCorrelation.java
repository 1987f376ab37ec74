package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Recoverable;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.ErrorHook;
import dev.correlation.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Correlation IDs through RabbitMQ. Wrap a channel once; every message published through it
 * carries the current flow, and every consumer registered through it runs in the flow of the
 * message it handles:
 *
 * <pre>{@code
 * RabbitCorrelation rabbit = RabbitCorrelation.create();
 * Channel channel = rabbit.wrap(connection.createChannel());
 *
 * try (Scope scope = Correlation.open(Correlation.newId())) {
 *   channel.basicPublish("", "orders", null, body);        // X-Correlation-ID, correlation_id
 * }
 *
 * channel.basicConsume("orders", true, (tag, delivery) ->
 *     log.info("handling"), tag -> { });                    // MDC correlation_id is set
 * }</pre>
 *
 * <p><b>Publish.</b> The {@link #postProcessor() post-processor} writes the
 * {@code X-Correlation-ID} header (inside a flow, the flow's ID, replacing any copy: re-published
 * properties of a received message must not carry its raw header on; outside any flow, a valid
 * header the caller set is kept, else a new ID) and, while a message is being handled,
 * {@code X-Causation-ID} with that message's ID, replacing any copy. It sets the AMQP
 * {@code correlation_id} property to the same ID <em>only when the caller left it empty</em>,
 * because RPC clients use that property to match replies, and sets {@code message_id} when empty
 * (or when it is the ID of the message being handled, so that a re-published message is not its
 * own cause), so that every message has an ID the next hop can name as its cause. Every other
 * header and property is kept. Header names come from the {@link CorrelationConfig}. To publish
 * for a flow that is not current on the thread, use {@link #inject(AMQP.BasicProperties,
 * CorrelationContext)}.
 *
 * <p><b>Receive.</b> The flow is read from the header (then its configured aliases); the
 * {@code correlation_id} property is read only if you {@linkplain Builder#correlationIdFallback
 * ask for it}, because RPC clients, Celery and Spring's {@code RabbitTemplate} put per-request
 * keys there. A header that is there but unusable (wrong type, an AMQP array, empty, too long, not
 * UTF-8, control characters, rejected) is replaced by a fresh ID with a rate-limited WARN, as is a
 * message without one. The message ID is the {@code message_id} property. If the handler throws,
 * the {@linkplain Builder#errorHook error hook} runs inside the message's scope; then the
 * exception passes through unchanged, after the flow is closed and the thread's previous context
 * and MDC are restored.
 *
 * <p>Instances are immutable and thread safe; create one per configuration and share it. Header
 * content never makes a method of this class, or of a wrapper it returns, throw.
 */
public final class RabbitCorrelation {
  /**
   * Configuration key of {@link Builder#correlationIdFallback(boolean)}: {@code true} or
   * {@code false}, default {@code false}.
   */
  public static final String CORRELATION_ID_FALLBACK =
      "correlation.rabbitmq.correlation-id-fallback";
  private static final AMQP.BasicProperties NO_PROPERTIES = new AMQP.BasicProperties();

  private final Builder settings;
  private final CorrelationPropagator propagator;
  private final IncomingProperties incoming;
  private final CorrelationPostProcessor own;
  private final PropertiesPostProcessor postProcessor;
  private final @Nullable ErrorHook<? super Delivery> errorHook;

  private RabbitCorrelation(Builder builder) {
    settings = builder.copy();
    CorrelationConfig config = builder.config;
    propagator = config == null
        ? CorrelationPropagator.create() : CorrelationPropagator.create(config);
    incoming = new IncomingProperties(propagator, builder.correlationIdFallback);
    own = new CorrelationPostProcessor(propagator);
    PropertiesPostProcessor chain = own;
    for (PropertiesPostProcessor next : builder.postProcessors) {
      chain = chain.andThen(next);
    }
    postProcessor = chain;
    errorHook = builder.errorHook;
  }

  /**
   * An instance that follows the process-wide configuration,
   * {@link dev.correlation.Correlation#config()}, as it changes; no error hook.
   */
  public static RabbitCorrelation create() {
    return builder().build();
  }

  /**
   * An instance with its own configuration; no error hook.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static RabbitCorrelation create(CorrelationConfig config) {
    return builder().config(config).build();
  }

  /**
   * An instance from string settings: {@value #CORRELATION_ID_FALLBACK} plus every
   * {@code correlation.*} key of {@link CorrelationConfig#fromMap(Map)}; other keys are ignored.
   * No error hook.
   *
   * @throws NullPointerException if {@code map} is null
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key or a
   *     value that is not an allowed string
   */
  public static RabbitCorrelation fromMap(Map<String, ?> map) {
    Objects.requireNonNull(map, "map == null");
    return builder()
        .config(CorrelationConfig.fromMap(map, Set.of(CORRELATION_ID_FALLBACK)))
        .correlationIdFallback(CorrelationConfig.flag(map, CORRELATION_ID_FALLBACK, false))
        .build();
  }

  /**
   * A builder: the process-wide configuration, no post-processors of yours, no
   * {@code correlation_id} fallback and no error hook, until told otherwise.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this instance's settings. */
  public Builder toBuilder() {
    return settings.copy();
  }

  /**
   * A channel that applies {@link #postProcessor()} to every {@code basicPublish} and wraps the
   * {@code Consumer} or {@code DeliverCallback} of every {@code basicConsume} (and the default
   * consumer) as {@link #wrap(Consumer)} does. Everything else is passed to {@code channel} as it
   * is. A channel with automatic recovery stays {@link Recoverable}; consumers registered through
   * the wrapper are recovered wrapped.
   *
   * <p>The wrapper adds no state: it is as thread safe as {@code channel}, and closing either
   * closes both. A channel already wrapped (by any instance) is returned as it is.
   *
   * @throws NullPointerException if {@code channel} is null
   */
  public Channel wrap(Channel channel) {
    Objects.requireNonNull(channel, "channel == null");
    if (channel instanceof CorrelatingChannel) {
      return channel;
    }
    return channel instanceof Recoverable
        ? new CorrelatingChannel.Recovering(this, channel)
        : new CorrelatingChannel.Plain(this, channel);
  }

  /**
   * A consumer whose {@code handleDelivery} runs in the delivery's {@link #context(Delivery)
   * context}. The thread's previous context and MDC values are restored when it returns or throws;
   * if it throws, the error hook runs first, inside the message's scope, and the exception passes
   * through unchanged. Its other callbacks are passed on unchanged. A consumer already wrapped (by
   * any instance) is returned as it is. The returned consumer is as thread safe as
   * {@code consumer}.
   *
   * @throws NullPointerException if {@code consumer} is null
   */
  public Consumer wrap(Consumer consumer) {
    Objects.requireNonNull(consumer, "consumer == null");
    return consumer instanceof CorrelatingConsumer
        ? consumer : new CorrelatingConsumer(this, consumer);
  }

  /**
   * A callback that runs {@code callback} in the delivery's {@link #context(Delivery) context}, as
   * {@link #wrap(Consumer)} does for a consumer. A callback already wrapped (by any instance) is
   * returned as it is. The returned callback is as thread safe as {@code callback}.
   *
   * @throws NullPointerException if {@code callback} is null
   */
  public DeliverCallback wrap(DeliverCallback callback) {
    Objects.requireNonNull(callback, "callback == null");
    return callback instanceof CorrelatingDeliverCallback
        ? callback : new CorrelatingDeliverCallback(this, callback);
  }

  /**
   * The context to handle {@code delivery} in: its flow's correlation ID (a fresh one, with a
   * rate-limited WARN, when its header is missing or bad), its {@code message_id} as message ID,
   * and the message ID of the message that caused it, if it names one. Never throws because of
   * header content. For code that handles a delivery later or elsewhere than the consumer callback
   * (amqp-client's {@code RpcServer} queues deliveries and handles them on its own thread):
   * {@code Correlation.runWith(rabbit.context(delivery), () -> handle(delivery))}.
   *
   * @throws NullPointerException if {@code delivery} is null
   */
  public CorrelationContext context(Delivery delivery) {
    Objects.requireNonNull(delivery, "delivery == null");
    return context(delivery.getEnvelope(), delivery.getProperties());
  }

  /**
   * Opens the {@link #context(Delivery) context} of {@code delivery} on this thread and writes it
   * to the MDC, until the returned scope is closed; for handlers that do not fit {@link #wrap},
   * such as ones throwing checked exceptions.
   *
   * @throws NullPointerException if {@code delivery} is null
   */
  public Scope open(Delivery delivery) {
    return propagator.open(context(delivery));
  }

  /**
   * The properties to publish a message with for the flow {@code flow}, whatever flow is current
   * on this thread: for code that publishes on behalf of another flow (a callback, a sender
   * thread, a relay). The correlation header becomes the flow's ID, the causation header the
   * flow's message ID (when it has one), {@code correlation_id} and {@code message_id} are filled
   * as on every publish, then the post-processors added to the builder run. A wrapped channel
   * leaves properties made this way alone. Never throws because of {@code properties}' content.
   *
   * @param properties the properties to start from; null counts as none
   * @throws NullPointerException if {@code flow} is null
   */
  public AMQP.BasicProperties inject(AMQP.@Nullable BasicProperties properties,
      CorrelationContext flow) {
    Objects.requireNonNull(flow, "flow == null");
    AMQP.BasicProperties written =
        own.process(properties == null ? NO_PROPERTIES : properties, flow);
    for (PropertiesPostProcessor next : settings.postProcessors) {
      written = next.process(written);
    }
    return written;
  }

  /**
   * The context of a message fetched with {@code basicGet}, as {@link #context(Delivery)}, to run
   * its handling in:
   * {@code Correlation.runWith(rabbit.context(response), () -> handle(response))}.
   *
   * @throws NullPointerException if {@code response} is null ({@code basicGet} returns null when
   *     the queue is empty)
   */
  public CorrelationContext context(GetResponse response) {
    Objects.requireNonNull(response, "response == null");
    return context(response.getEnvelope(), response.getProps());
  }

  /**
   * Opens the {@link #context(GetResponse) context} of a message fetched with {@code basicGet} on
   * this thread and writes it to the MDC, until the returned scope is closed; for handling code
   * that throws checked exceptions:
   * {@code Scope scope = rabbit.open(response); try { handle(response); } finally {
   * scope.close(); }}.
   *
   * @throws NullPointerException if {@code response} is null
   */
  public Scope open(GetResponse response) {
    return propagator.open(context(response));
  }

  /**
   * Runs {@code handler} over {@code deliveries}, in order, each delivery in its own
   * {@link #context(Delivery) context}: no message is handled in the flow of another. For
   * messages your code collects before handling them, such as a batch fetched with
   * {@code basicGet} ({@code new Delivery(r.getEnvelope(), r.getProps(), r.getBody())}) or
   * deliveries a consumer queued. Like a plain {@code for} loop, it stops at the first exception
   * {@code handler} throws, which passes through unchanged after the error hook ran and the
   * delivery's scope is closed; the deliveries not yet handled are left alone (unacknowledged
   * ones go back to the queue when the channel closes).
   *
   * @throws NullPointerException if {@code deliveries}, an element of it, or {@code handler} is
   *     null
   */
  public void forEach(List<Delivery> deliveries,
      java.util.function.Consumer<? super Delivery> handler) {
    Objects.requireNonNull(deliveries, "deliveries == null");
    Objects.requireNonNull(handler, "handler == null");
    CorrelationPropagator.Handler<Delivery, RuntimeException> each = handler::accept;
    for (int i = 0, n = deliveries.size(); i < n; i++) {
      handle(deliveries.get(i), each); // a null element: "delivery == null"
    }
  }

  /**
   * The flow of a delivered message: its correlation ID (header, its aliases, the
   * {@code correlation_id} property if the fallback is on, else a fresh ID), its {@code message_id}
   * and its causation ID. Never throws because of what the message carries; bad values are
   * replaced or dropped with a rate-limited WARN.
   *
   * @param envelope the delivery's envelope; the message's own ID is taken from the properties,
   *     where the publisher put it, so the envelope may be null
   * @param properties the message's properties; null counts as a message without any
   */
  public CorrelationContext context(@Nullable Envelope envelope,
      AMQP.@Nullable BasicProperties properties) {
    AMQP.BasicProperties props = properties == null ? NO_PROPERTIES : properties;
    return propagator.extract(props, incoming, props.getMessageId());
  }

  /**
   * The post-processor the wrapped channels apply to every publish: the library's own, then those
   * added to the {@link Builder}, in order. For publishing without a wrapped channel:
   * {@code channel.basicPublish(exchange, key, rabbit.postProcessor().process(props), body)}.
   */
  public PropertiesPostProcessor postProcessor() {
    return postProcessor;
  }

  AMQP.BasicProperties beforePublish(AMQP.@Nullable BasicProperties properties) {
    return postProcessor.process(properties == null ? NO_PROPERTIES : properties);
  }

  /** Runs {@code handler} in the flow of {@code delivery}, with the error hook on failure. */
  <X extends Throwable> void handle(Delivery delivery,
      CorrelationPropagator.Handler<? super Delivery, X> handler) throws X {
    propagator.handle(delivery, context(delivery), handler, errorHook);
  }

  @Override
  public String toString() {
    return "RabbitCorrelation{" + postProcessor + '}';
  }

  /** Builds a {@link RabbitCorrelation}. Not thread safe; the result is. */
  public static final class Builder {
    private @Nullable CorrelationConfig config;
    private final List<PropertiesPostProcessor> postProcessors = new ArrayList<>();
    private boolean correlationIdFallback;
    private @Nullable ErrorHook<? super Delivery> errorHook;

    private Builder() {}

    private Builder copy() {
      Builder copy = new Builder();
      copy.config = config;
      copy.postProcessors.addAll(postProcessors);
      copy.correlationIdFallback = correlationIdFallback;
      copy.errorHook = errorHook;
      return copy;
    }

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
     * Runs when a wrapped consumer or callback (or {@link RabbitCorrelation#forEach}) throws, inside the failing message's scope, before
     * the exception passes on unchanged (to amqp-client's {@code ExceptionHandler}). None by
     * default.
     *
     * @throws NullPointerException if {@code errorHook} is null
     */
    public Builder errorHook(ErrorHook<? super Delivery> errorHook) {
      this.errorHook = Objects.requireNonNull(errorHook, "errorHook == null");
      return this;
    }

    /**
     * Whether a message without a correlation header joins the flow named by its AMQP
     * {@code correlation_id} property. Off by default: amqp-client's {@code RpcClient} puts
     * {@code "1"}, {@code "2"}... there, Celery the task ID, Spring's {@code RabbitTemplate} a
     * per-request key, and reading those as flows would merge unrelated work. Turn it on only for
     * publishers you know put the flow there.
     */
    public Builder correlationIdFallback(boolean fallback) {
      correlationIdFallback = fallback;
      return this;
    }

    /**
     * Adds a post-processor that wrapped channels apply to every publish after the library's own
     * (so it sees the correlation headers and properties already set), in the order added.
     *
     * @throws NullPointerException if {@code postProcessor} is null
     */
    public Builder addPostProcessor(PropertiesPostProcessor postProcessor) {
      postProcessors.add(Objects.requireNonNull(postProcessor, "postProcessor == null"));
      return this;
    }

    /** The instance. */
    public RabbitCorrelation build() {
      return new RabbitCorrelation(this);
    }
  }
}
