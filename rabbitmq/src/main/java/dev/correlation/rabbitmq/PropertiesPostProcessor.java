package dev.correlation.rabbitmq;

import com.rabbitmq.client.AMQP;
import java.util.Objects;

/**
 * Rewrites the properties of a message about to be published, like Spring AMQP's
 * {@code MessagePostProcessor}: given the properties the caller passed to {@code basicPublish},
 * returns the ones to publish. {@link AMQP.BasicProperties} is immutable, so a post-processor
 * returns a new instance (made with {@link AMQP.BasicProperties#builder()}) or the same one.
 *
 * <p>{@link RabbitCorrelation#postProcessor()} is the library's own; add yours with
 * {@link RabbitCorrelation.Builder#addPostProcessor(PropertiesPostProcessor)} so that a wrapped
 * channel applies them to every publish, or chain them with {@link #andThen}.
 *
 * <p>Implementations are called on the publishing thread, once per message, and must be thread
 * safe if the wrapped channels are shared. What an implementation throws reaches the caller of
 * {@code basicPublish}, and the message is not published.
 */
@FunctionalInterface
public interface PropertiesPostProcessor {
  /**
   * The properties to publish instead of {@code properties}.
   *
   * @param properties what the caller (or the previous post-processor) gave; never null: a publish
   *     without properties arrives here as empty properties
   */
  AMQP.BasicProperties process(AMQP.BasicProperties properties);

  /**
   * This post-processor, then {@code next} on its result.
   *
   * @throws NullPointerException if {@code next} is null
   */
  default PropertiesPostProcessor andThen(PropertiesPostProcessor next) {
    Objects.requireNonNull(next, "next == null");
    return properties -> next.process(process(properties));
  }
}
