package dev.correlation.sqs;

import dev.correlation.Correlation;
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
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Correlation IDs through Amazon SQS with the AWS SDK for Java 2.x.
 *
 * <p><b>Sending.</b> Add {@link #executionInterceptor()} to the client (sync or async); every
 * {@code SendMessage} and every entry of a {@code SendMessageBatch} then carries the flow as the
 * String message attribute {@code X-Correlation-ID} (a caller-set one is kept), plus
 * {@code X-Causation-ID} while a message is being handled. Without the interceptor,
 * {@link #decorate(SendMessageRequest)} and friends apply the same rules to one request.
 *
 * <p><b>The 10-attribute limit.</b> SQS rejects a message with more than 10 message attributes.
 * Ours are only added where they fit, the correlation attribute first: what does not fit is
 * skipped with a rate-limited WARN naming the queue and batch entry, and the message is sent
 * without it. In {@linkplain Builder#strict(boolean) strict mode} such a send fails instead,
 * before anything leaves, with an {@link SdkClientException} naming the message and the attribute.
 *
 * <p><b>Receiving.</b> SQS returns only the attributes a receive asks for: the interceptor (or
 * {@link #decorate(ReceiveMessageRequest)}) adds ours to {@code messageAttributeNames}. Each
 * received message is then handled in its own flow: {@link #wrap(Consumer)} a per-message handler,
 * call {@link #forEach(ReceiveMessageResponse, Consumer)}, or open {@link #context(Message)}
 * yourself. Attribute types: {@code String} and {@code Number} are read as their string,
 * {@code Binary} as UTF-8; any other type, and any missing or invalid value, gets a fresh ID and a
 * rate-limited WARN, and the message is still handled.
 *
 * <p>Immutable and thread safe; create one per configuration and share it.
 */
public final class SqsCorrelation {
  /**
   * Configuration key of {@link Builder#strict(boolean)}: {@code true} or {@code false}, default
   * {@code false}.
   */
  public static final String STRICT = "correlation.sqs.strict";

  private final @Nullable CorrelationConfig config;
  private final CorrelationPropagator propagator;
  private final boolean strict;
  private final @Nullable ErrorHook<? super Message> errorHook;

  private SqsCorrelation(Builder builder) {
    config = builder.config;
    CorrelationConfig own = config;
    propagator = own == null ? CorrelationPropagator.create() : CorrelationPropagator.create(own);
    strict = builder.strict;
    errorHook = builder.errorHook;
  }

  /**
   * An instance that follows the process-wide configuration, {@link Correlation#config()}, as it
   * changes; not strict, no error hook.
   */
  public static SqsCorrelation create() {
    return builder().build();
  }

  /**
   * An instance with its own configuration; not strict, no error hook.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static SqsCorrelation create(CorrelationConfig config) {
    return builder().config(config).build();
  }

  /**
   * An instance from string settings: {@value #STRICT} plus every {@code correlation.*} key of
   * {@link CorrelationConfig#fromMap(Map)}; other keys are ignored. No error hook.
   *
   * @throws NullPointerException if {@code map} is null
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key or a
   *     value that is not an allowed string
   */
  public static SqsCorrelation fromMap(Map<String, ?> map) {
    Objects.requireNonNull(map, "map == null");
    return builder().config(CorrelationConfig.fromMap(map, Set.of(STRICT)))
        .strict(CorrelationConfig.flag(map, STRICT, false)).build();
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
   * The interceptor to add to an {@code SqsClient} or {@code SqsAsyncClient} builder through
   * {@code overrideConfiguration(o -> o.addExecutionInterceptor(...))}. It uses this instance's
   * configuration and strictness.
   */
  public CorrelationExecutionInterceptor executionInterceptor() {
    return new CorrelationExecutionInterceptor(this);
  }

  /**
   * The request with the current flow written into its message attributes, following the send
   * rules and the attribute limit described above. Returns {@code request} itself when there is
   * nothing to write (a valid caller-set ID outside any flow, no causation). For clients without
   * the interceptor, and for requests prepared in one flow and sent from another thread (a batch
   * sender): an interceptor that sees the request later leaves what this wrote alone.
   *
   * @throws SdkClientException in strict mode, when an attribute of ours does not fit
   * @throws NullPointerException if {@code request} is null
   */
  public SendMessageRequest decorate(SendMessageRequest request) {
    Objects.requireNonNull(request, "request == null");
    return decorate(request, Correlation.currentContext(), Write.DECORATED);
  }

  /**
   * The request with the flow {@code flow} written into its message attributes, whatever flow is
   * current on this thread and whatever correlation attribute the request carries: for sends on
   * behalf of another flow (a callback, a sender thread, a relay). The execution interceptor leaves
   * a request written this way alone. The attribute limit and strict mode apply as above.
   *
   * @throws SdkClientException in strict mode, when an attribute of ours does not fit
   * @throws NullPointerException if an argument is null
   */
  public SendMessageRequest inject(SendMessageRequest request, CorrelationContext flow) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(flow, "flow == null");
    return decorate(request, flow, Write.EXPLICIT);
  }

  /**
   * The batch with the current flow written into every entry, each entry following the rules of
   * {@link #decorate(SendMessageRequest)} on its own.
   *
   * @throws SdkClientException in strict mode, naming the first entry with no room
   * @throws NullPointerException if {@code request} is null
   */
  public SendMessageBatchRequest decorate(SendMessageBatchRequest request) {
    Objects.requireNonNull(request, "request == null");
    return decorate(request, Correlation.currentContext(), Write.DECORATED);
  }

  /**
   * The batch with the flow {@code flow} written into every entry, as
   * {@link #inject(SendMessageRequest, CorrelationContext)} does for one message.
   *
   * @throws SdkClientException in strict mode, naming the first entry with no room
   * @throws NullPointerException if an argument is null
   */
  public SendMessageBatchRequest inject(SendMessageBatchRequest request,
      CorrelationContext flow) {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(flow, "flow == null");
    return decorate(request, flow, Write.EXPLICIT);
  }

  /**
   * One batch entry with the current flow written into it, as {@link #decorate(SendMessageRequest)}
   * does; the WARN or exception can name the entry but not the queue.
   *
   * @throws SdkClientException in strict mode, when an attribute of ours does not fit
   * @throws NullPointerException if {@code entry} is null
   */
  public SendMessageBatchRequestEntry decorate(SendMessageBatchRequestEntry entry) {
    Objects.requireNonNull(entry, "entry == null");
    return decorate(entry, null, Correlation.currentContext(), Write.DECORATED, null);
  }

  /**
   * One batch entry with the flow {@code flow} written into it, as
   * {@link #inject(SendMessageRequest, CorrelationContext)} does.
   *
   * @throws SdkClientException in strict mode, when an attribute of ours does not fit
   * @throws NullPointerException if an argument is null
   */
  public SendMessageBatchRequestEntry inject(SendMessageBatchRequestEntry entry,
      CorrelationContext flow) {
    Objects.requireNonNull(entry, "entry == null");
    Objects.requireNonNull(flow, "flow == null");
    return decorate(entry, null, flow, Write.EXPLICIT, null);
  }

  /**
   * The receive request asking for our attributes too (and the configured aliases, and the W3C
   * {@code baggage} / {@code traceparent} attributes when reading them is on); {@code request}
   * itself when it already asks for them, by name, by a matching prefix wildcard ({@code X-.*}) or
   * for all attributes ({@code All}, {@code .*}: SQS rejects names next to those, so none are
   * added).
   *
   * @throws NullPointerException if {@code request} is null
   */
  public ReceiveMessageRequest decorate(ReceiveMessageRequest request) {
    Objects.requireNonNull(request, "request == null");
    CorrelationConfig cfg = propagator.config();
    List<String> names = request.messageAttributeNames();
    List<String> wanted = null;
    for (String name : receivedNames(cfg)) {
      if (!covers(names, name) && (wanted == null || !wanted.contains(name))) {
        if (wanted == null) {
          wanted = new ArrayList<>(names.size() + 4);
          wanted.addAll(names);
        }
        wanted.add(name);
      }
    }
    return wanted == null ? request : request.toBuilder().messageAttributeNames(wanted).build();
  }

  /**
   * The context to handle {@code message} in: its flow's correlation ID (a fresh one, with a
   * rate-limited WARN, when the attribute is missing, invalid or of an unsupported type), its SQS
   * {@code MessageId} as message ID, and the message ID of the message that caused it, if it names
   * one. Never throws because of attribute content.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public CorrelationContext context(Message message) {
    Objects.requireNonNull(message, "message == null");
    return propagator.extract(message.messageAttributes(), MessageAttributes.GETTER,
        message.messageId());
  }

  /**
   * Opens the {@link #context(Message) context} of {@code message} on this thread and writes it to
   * the MDC, until the returned scope is closed; for handlers that do not fit {@link #wrap}, such
   * as ones throwing checked exceptions.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public Scope open(Message message) {
    return propagator.open(context(message));
  }

  /**
   * A message handler that runs {@code handler} in the message's {@link #context(Message)
   * context}. The thread's previous context and MDC values are restored when it returns or throws;
   * if it throws, the error hook runs first, inside the message's scope, and the exception passes
   * through unchanged. A handler already wrapped by this instance is returned as it is. The
   * returned handler is as thread safe as {@code handler}.
   *
   * @throws NullPointerException if {@code handler} is null
   */
  public Consumer<Message> wrap(Consumer<? super Message> handler) {
    Objects.requireNonNull(handler, "handler == null");
    if (handler instanceof CorrelatingMessageHandler
        && ((CorrelatingMessageHandler) handler).owner == this) {
      return (CorrelatingMessageHandler) handler;
    }
    return new CorrelatingMessageHandler(this, handler);
  }

  /**
   * Runs {@code handler} over the received messages, in order, each message in its own
   * {@link #context(Message) context}: no message is handled in the flow of another. Like a plain
   * {@code for} loop, it stops at the first exception {@code handler} throws, which passes through
   * unchanged after the error hook ran and the message's scope is closed; the messages not yet
   * handled are left alone (SQS delivers them again after their visibility timeout).
   *
   * @throws NullPointerException if {@code messages}, an element of it, or {@code handler} is null
   */
  public void forEach(List<Message> messages, Consumer<? super Message> handler) {
    Objects.requireNonNull(messages, "messages == null");
    Objects.requireNonNull(handler, "handler == null");
    CorrelationPropagator.Handler<Message, RuntimeException> each = handler::accept;
    for (int i = 0, n = messages.size(); i < n; i++) {
      handle(messages.get(i), each);
    }
  }

  /**
   * {@link #forEach(List, Consumer)} over the messages of a receive.
   *
   * @throws NullPointerException if {@code response} or {@code handler} is null
   */
  public void forEach(ReceiveMessageResponse response, Consumer<? super Message> handler) {
    Objects.requireNonNull(response, "response == null");
    forEach(response.messages(), handler);
  }

  private void handle(Message message,
      CorrelationPropagator.Handler<Message, RuntimeException> handler) {
    propagator.handle(message, context(message), handler, errorHook);
  }

  /** The send rules with the flow the caller had when it made the call (the interceptor's). */
  SendMessageRequest decorateCaptured(SendMessageRequest request,
      @Nullable CorrelationContext flow) {
    return decorate(request, flow, Write.CAPTURED);
  }

  /** As {@link #decorateCaptured(SendMessageRequest, CorrelationContext)}, for every entry. */
  SendMessageBatchRequest decorateCaptured(SendMessageBatchRequest request,
      @Nullable CorrelationContext flow) {
    return decorate(request, flow, Write.CAPTURED);
  }

  /**
   * How attributes are written: by the interceptor for the caller's captured flow; by a public
   * {@code decorate} for this thread's flow (what it writes is final: a later interceptor on
   * another thread, in another flow, leaves it alone); for an explicit flow.
   */
  private enum Write { CAPTURED, DECORATED, EXPLICIT }

  private SendMessageRequest decorate(SendMessageRequest request,
      @Nullable CorrelationContext flow, Write how) {
    OutgoingAttributes carrier =
        new OutgoingAttributes(request.messageAttributes(), request.queueUrl(), null, strict, null);
    write(carrier, flow, how);
    Map<String, MessageAttributeValue> written = carrier.written();
    return written == null ? request : request.toBuilder().messageAttributes(written).build();
  }

  private void write(OutgoingAttributes carrier, @Nullable CorrelationContext flow, Write how) {
    if (how == Write.EXPLICIT && flow != null) {
      propagator.injectFlow(carrier, OutgoingAttributes.GETTER, OutgoingAttributes.EXPLICIT,
          flow);
    } else {
      propagator.inject(carrier, OutgoingAttributes.GETTER,
          how == Write.DECORATED ? OutgoingAttributes.EXPLICIT : OutgoingAttributes.SETTER, flow);
    }
  }

  private SendMessageBatchRequest decorate(SendMessageBatchRequest request,
      @Nullable CorrelationContext flow, Write how) {
    List<SendMessageBatchRequestEntry> entries = request.entries();
    List<SendMessageBatchRequestEntry> decorated = null;
    OutgoingAttributes.Built built = new OutgoingAttributes.Built();
    for (int i = 0, n = entries.size(); i < n; i++) {
      SendMessageBatchRequestEntry entry = entries.get(i);
      if (entry == null) {
        continue; // the SDK rejects it on its own terms
      }
      SendMessageBatchRequestEntry out = decorate(entry, request.queueUrl(), flow, how, built);
      if (out != entry) {
        if (decorated == null) {
          decorated = new ArrayList<>(entries);
        }
        decorated.set(i, out);
      }
    }
    return decorated == null ? request : request.toBuilder().entries(decorated).build();
  }

  private SendMessageBatchRequestEntry decorate(SendMessageBatchRequestEntry entry,
      @Nullable String queueUrl, @Nullable CorrelationContext flow, Write how,
      OutgoingAttributes.@Nullable Built built) {
    OutgoingAttributes carrier =
        new OutgoingAttributes(entry.messageAttributes(), queueUrl, entry.id(), strict, built);
    write(carrier, flow, how);
    Map<String, MessageAttributeValue> written = carrier.written();
    return written == null ? entry : entry.toBuilder().messageAttributes(written).build();
  }

  /**
   * The attributes receive reads: ours, the configured aliases, the captured headers, and the W3C
   * ones when reading them is on. (SQS matches names exactly, so case variants cannot be asked for.)
   */
  private static List<String> receivedNames(CorrelationConfig cfg) {
    List<String> names = new ArrayList<>(4 + cfg.headerAliases().size());
    names.add(cfg.headerName());
    names.add(cfg.causationHeaderName());
    names.addAll(cfg.headerAliases());
    names.addAll(cfg.capturedHeaders());
    if (cfg.readsBaggage()) {
      names.add(CorrelationConfig.BAGGAGE_HEADER);
    }
    if (cfg.readsTraceparent()) {
      names.add(CorrelationConfig.TRACEPARENT_HEADER);
    }
    return names;
  }

  /** Whether a receive asking for {@code names} returns attribute {@code name}. */
  private static boolean covers(List<String> names, String name) {
    for (int i = 0, n = names.size(); i < n; i++) {
      String asked = names.get(i);
      if (asked == null) {
        continue;
      }
      if (asked.equals(name) || asked.equals("All") || asked.equals(".*")) {
        return true;
      }
      int prefix = asked.length() - 2;
      if (prefix > 0 && asked.endsWith(".*") && name.regionMatches(0, asked, 0, prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "SqsCorrelation{strict=" + strict + ", config=" + propagator.config() + '}';
  }

  /** Runs a per-message handler in each message's flow. */
  private static final class CorrelatingMessageHandler implements Consumer<Message> {
    final SqsCorrelation owner;
    private final Consumer<? super Message> delegate;
    // adapted once, not per message
    private final CorrelationPropagator.Handler<Message, RuntimeException> handler;

    CorrelatingMessageHandler(SqsCorrelation owner, Consumer<? super Message> delegate) {
      this.owner = owner;
      this.delegate = delegate;
      this.handler = delegate::accept;
    }

    @Override
    public void accept(Message message) {
      owner.handle(message, handler);
    }

    @Override
    public String toString() {
      return "CorrelatingMessageHandler{" + delegate + '}';
    }
  }

  /** Builds an {@link SqsCorrelation}. Not thread safe; the result is. */
  public static final class Builder {
    private @Nullable CorrelationConfig config;
    private boolean strict;
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
     * Runs when a wrapped handler (or {@link SqsCorrelation#forEach}) throws, inside the failing
     * message's scope, before the exception passes on unchanged. None by default.
     *
     * @throws NullPointerException if {@code errorHook} is null
     */
    public Builder errorHook(ErrorHook<? super Message> errorHook) {
      this.errorHook = Objects.requireNonNull(errorHook, "errorHook == null");
      return this;
    }

    /**
     * Strict mode: a send whose message has no room left for one of our attributes fails before
     * it leaves, with an {@link SdkClientException} naming the message, instead of going out
     * without the attribute. Off by default.
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** The instance. */
    public SqsCorrelation build() {
      return new SqsCorrelation(this);
    }
  }
}
