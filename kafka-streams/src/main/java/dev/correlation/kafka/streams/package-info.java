/**
 * Correlation IDs through Kafka Streams: {@link dev.correlation.kafka.streams.CorrelationProcessorWrapper}
 * (the {@code processor.wrapper.class}) runs every processor of a topology in the flow of the record
 * it processes; {@link dev.correlation.kafka.streams.KafkaStreamsCorrelation} wraps single processor
 * suppliers and holds the options.
 */
@NullMarked
package dev.correlation.kafka.streams;

import org.jspecify.annotations.NullMarked;
