/**
 * Correlation IDs through Amazon SQS (AWS SDK for Java 2.x): {@link
 * dev.correlation.sqs.CorrelationExecutionInterceptor} on the client writes the flow into every
 * sent message and asks receives for it; {@link dev.correlation.sqs.SqsCorrelation} opens it
 * around the handling of each received message.
 */
@NullMarked
package dev.correlation.sqs;

import org.jspecify.annotations.NullMarked;
