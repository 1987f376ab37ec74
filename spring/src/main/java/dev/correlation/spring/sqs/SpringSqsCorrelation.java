package dev.correlation.spring.sqs;

import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import dev.correlation.sqs.SqsCorrelation;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.awspring.cloud.sqs.listener.interceptor.MessageInterceptor;
import io.awspring.cloud.sqs.support.converter.HeaderMapper;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * Correlation for Spring Cloud AWS SQS, over the rules of {@link SqsCorrelation}: the same
 * attributes, the same 10-attribute budget, the same validation. Boot applications get all of it
 * from the auto-configuration; the methods are for containers, templates and converters built by
 * hand, and for batch listeners.
 *
 * <ul>
 *   <li>{@link #messageInterceptor()}: for a listener container; handles each message in its flow,
 *       the listener and the container's error handler included, and leaves the thread clean.</li>
 *   <li>{@link #headerMapper(HeaderMapper)}: for {@code SqsMessagingMessageConverter.setHeaderMapper};
 *       writes the flow into the attributes of every message {@code SqsTemplate} converts, on the
 *       thread that calls {@code send}, counting Spring's own attributes ({@code JavaType} ...)
 *       against the limit of 10. {@code SqsTemplate} sends the first message to a queue from an
 *       SDK thread, after looking up the queue: the flow is already in the message by then.</li>
 *   <li>{@link #open(Message)} / {@link #forEach(Collection, Consumer)}: for batch listeners, one
 *       flow per message.</li>
 * </ul>
 *
 * <p>Messages are read from the raw SQS message Spring keeps in the {@code Sqs_SourceData} header;
 * bad or missing IDs get a fresh ID and a rate-limited WARN, and header content never makes these
 * methods throw. Immutable and thread safe.
 */
public final class SpringSqsCorrelation {
  private static final CorrelationPropagator.Getter<MessageHeaders> SPRING_HEADERS =
      (headers, name) -> headers.get(name);

  private final SqsCorrelation sqs;
  private final CorrelationPropagator propagator;
  private final MessageInterceptor<Object> interceptor;

  private SpringSqsCorrelation(SqsCorrelation sqs, CorrelationPropagator propagator) {
    this.sqs = sqs;
    this.propagator = propagator;
    this.interceptor = new CorrelationMessageInterceptor(this);
  }

  /**
   * Spring Cloud AWS correlation with {@code config}, not strict.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static SpringSqsCorrelation create(CorrelationConfig config) {
    return create(config, false);
  }

  /**
   * Spring Cloud AWS correlation with {@code config}; {@code strict}: a send without room for our
   * attribute fails before it leaves instead of going out without it (see {@link SqsCorrelation}).
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static SpringSqsCorrelation create(CorrelationConfig config, boolean strict) {
    Objects.requireNonNull(config, "config == null");
    return new SpringSqsCorrelation(
        SqsCorrelation.builder().config(config).strict(strict).build(),
        CorrelationPropagator.create(config));
  }

  /** The {@link SqsCorrelation} underneath: its execution interceptor goes on the SDK client. */
  public SqsCorrelation sqs() {
    return sqs;
  }

  /** Opens each message's flow before the listener and closes it in {@code afterProcessing}. */
  public MessageInterceptor<Object> messageInterceptor() {
    return interceptor;
  }

  /**
   * {@code delegate}, with the current flow written into the attributes of each message it maps
   * for sending. Receiving is left to {@code delegate}. Wrapping a wrapped mapper returns it.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public HeaderMapper<software.amazon.awssdk.services.sqs.model.Message> headerMapper(
      HeaderMapper<software.amazon.awssdk.services.sqs.model.Message> delegate) {
    Objects.requireNonNull(delegate, "delegate == null");
    return delegate instanceof CorrelatingHeaderMapper
        ? delegate : new CorrelatingHeaderMapper(sqs, delegate);
  }

  /**
   * The flow of a received message, read from the raw SQS message in its {@code Sqs_SourceData}
   * header; null when the message has none (it did not come from SQS through Spring Cloud AWS).
   *
   * @throws NullPointerException if {@code message} is null
   */
  public @Nullable CorrelationContext context(Message<?> message) {
    Objects.requireNonNull(message, "message == null");
    Object raw = message.getHeaders().get(SqsHeaders.SQS_SOURCE_DATA_HEADER);
    return raw instanceof software.amazon.awssdk.services.sqs.model.Message
        ? sqs.context((software.amazon.awssdk.services.sqs.model.Message) raw) : null;
  }

  /**
   * Opens the {@link #context(Message) flow} of {@code message} on this thread until the scope is
   * closed. A message without the raw SQS message is read from its Spring headers instead, where
   * Spring Cloud AWS maps the attributes, by the same rules.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public Scope open(Message<?> message) {
    CorrelationContext context = context(message);
    return propagator.open(context != null ? context
        : propagator.extract(message.getHeaders(), SPRING_HEADERS, null));
  }

  /**
   * Runs {@code handler} on each message of a batch, in order, each in its own flow; stops at the
   * first exception, which passes through unchanged after the message's scope is closed.
   *
   * @throws NullPointerException if {@code messages} or {@code handler} is null
   */
  public <T> void forEach(Collection<Message<T>> messages, Consumer<? super Message<T>> handler) {
    Objects.requireNonNull(messages, "messages == null");
    Objects.requireNonNull(handler, "handler == null");
    for (Message<T> message : messages) {
      Scope scope = open(message);
      try {
        handler.accept(message);
      } finally {
        scope.close();
      }
    }
  }

  @Override
  public String toString() {
    return "SpringSqsCorrelation{" + sqs + '}';
  }
}
