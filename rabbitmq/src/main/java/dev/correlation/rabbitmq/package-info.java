/**
 * Correlation IDs through RabbitMQ (AMQP 0-9-1, {@code com.rabbitmq:amqp-client} 5.x): wrap the
 * {@code Channel} once with {@link dev.correlation.rabbitmq.RabbitCorrelation}, and every publish
 * carries the current flow while every consumer runs in the flow of its message.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.correlation.rabbitmq;

import org.jspecify.annotations.NullMarked;
