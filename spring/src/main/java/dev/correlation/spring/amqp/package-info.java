/**
 * Spring AMQP: a {@code MessagePostProcessor} that writes the flow into every message
 * {@code RabbitTemplate} publishes, and a listener advice that handles every delivery of a
 * {@code @RabbitListener} in its flow, the container's error handler included.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.correlation.spring.amqp;

import org.jspecify.annotations.NullMarked;
