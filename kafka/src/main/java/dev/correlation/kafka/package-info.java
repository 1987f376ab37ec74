/**
 * Correlation IDs through Apache Kafka: {@link dev.correlation.kafka.CorrelationProducerInterceptor}
 * writes them into outgoing records, {@link dev.correlation.kafka.KafkaCorrelation} opens them
 * around the handling of incoming ones.
 */
@NullMarked
package dev.correlation.kafka;

import org.jspecify.annotations.NullMarked;
