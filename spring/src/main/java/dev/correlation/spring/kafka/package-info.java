/**
 * Spring Kafka: a {@code RecordInterceptor} that handles every record of a {@code @KafkaListener}
 * in its flow, and the producer interceptor on Boot's producer factory, so {@code KafkaTemplate}
 * sends carry the flow.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.correlation.spring.kafka;

import org.jspecify.annotations.NullMarked;
