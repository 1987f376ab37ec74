package dev.correlation.spring.amqp;

import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import dev.correlation.rabbitmq.RabbitCorrelation;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.util.ErrorHandler;

/**
 * Correlation for Spring AMQP, over the rules of {@link RabbitCorrelation}: the same headers, the
 * same {@code correlation_id} and {@code message_id} handling, the same validation, for Spring's
 * {@link Message} instead of the client's properties. Boot applications get all of it from the
 * auto-configuration; the methods are for containers and templates built by hand, and for batch
 * listeners.
 *
 * <ul>
 *   <li>{@link #messagePostProcessor()}: for {@code RabbitTemplate.addBeforePublishPostProcessors}.
 *       Writes the flow into the {@code X-Correlation-ID} header always, into the
 *       {@code correlation_id} property only when it is empty (so {@code sendAndReceive} keeps the
 *       template's own reply key), and a {@code message_id} when there is none.</li>
 *   <li>{@link #listenerAdvice()}: first in a listener container's advice chain (simple or direct
 *       container); handles each delivered message in its flow.</li>
 *   <li>{@link #errorHandler(ErrorHandler)}: runs a container's error handler in the failed
 *       message's flow, so its log line carries the ID (the advice chain has closed by then).</li>
 *   <li>{@link #open(Message)} / {@link #forEach(List, Consumer)}: for batch listeners, which get a
 *       whole list at once: one flow per message.</li>
 * </ul>
 *
 * <p>Bad or missing IDs on a received message get a fresh ID and a rate-limited WARN; header
 * content never makes these methods throw. Immutable and thread safe.
 */
public final class SpringRabbitCorrelation {
  private final RabbitCorrelation rabbit;
  private final CorrelationPropagator propagator;
  private final MessagePostProcessor postProcessor;
  private final MethodInterceptor advice;

  private SpringRabbitCorrelation(CorrelationConfig config, boolean correlationIdFallback) {
    rabbit = RabbitCorrelation.builder().config(config)
        .correlationIdFallback(correlationIdFallback).build();
    propagator = CorrelationPropagator.create(config);
    postProcessor = new CorrelationMessagePostProcessor(rabbit, config);
    advice = new CorrelationListenerAdvice(this);
  }

  /**
   * Spring AMQP correlation with {@code config}.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static SpringRabbitCorrelation create(CorrelationConfig config) {
    return create(config, false);
  }

  /**
   * Spring AMQP correlation with {@code config}, reading the AMQP {@code correlation_id} property
   * as the flow of a message without our header when {@code correlationIdFallback} is true (see
   * {@code RabbitCorrelation.Builder#correlationIdFallback}; off by default, because
   * {@code RabbitTemplate} puts per-request keys there).
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static SpringRabbitCorrelation create(CorrelationConfig config,
      boolean correlationIdFallback) {
    return new SpringRabbitCorrelation(Objects.requireNonNull(config, "config == null"),
        correlationIdFallback);
  }

  /** Writes the current flow into each message a {@code RabbitTemplate} publishes. */
  public MessagePostProcessor messagePostProcessor() {
    return postProcessor;
  }

  /**
   * An advice for a listener container's advice chain (put it first): the listener runs in the
   * flow of the delivered message; a batch (a list of messages) passes through unchanged, for
   * the listener to open each message with {@link #open(Message)}.
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
   * The flow of a received message: its correlation ID (a fresh one when missing or bad), its
   * {@code message_id}, and the ID of the message that caused it.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public CorrelationContext context(Message message) {
    Objects.requireNonNull(message, "message == null");
    return rabbit.context(null, MessageCarrier.toClient(message.getMessageProperties()));
  }

  /**
   * Opens the {@link #context(Message) flow} of {@code message} on this thread until the scope is
   * closed; for batch listeners: {@code try (Scope s = rabbit.open(message)) { ... }}.
   *
   * @throws NullPointerException if {@code message} is null
   */
  public Scope open(Message message) {
    return propagator.open(context(message));
  }

  /**
   * Runs {@code handler} on each message of a batch, in order, each in its own flow; stops at the
   * first exception, which passes through unchanged after the message's scope is closed.
   *
   * @throws NullPointerException if {@code messages} or {@code handler} is null
   */
  public void forEach(List<Message> messages, Consumer<? super Message> handler) {
    Objects.requireNonNull(messages, "messages == null");
    Objects.requireNonNull(handler, "handler == null");
    for (Message message : messages) {
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
    return "SpringRabbitCorrelation{" + rabbit + '}';
  }
}
