/**
 * The four-service shop used by the end-to-end test and the demo: a flow crosses Kafka, a thread
 * pool, RabbitMQ, a batched SQS send and SQS, and every log line says which flow it belongs to.
 */
@NullMarked
package dev.correlation.it.demo;

import org.jspecify.annotations.NullMarked;
