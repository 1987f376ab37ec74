/**
 * Spring Cloud AWS SQS: a {@code MessageInterceptor} that handles every message of an
 * {@code @SqsListener} in its flow, the SDK execution interceptor on the auto-configured
 * {@code SqsAsyncClient}, and a header mapper so {@code SqsTemplate} sends carry the flow even
 * when Spring sends them on an SDK thread.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.correlation.spring.sqs;

import org.jspecify.annotations.NullMarked;
