package dev.correlation;

/**
 * Runs when a message handler fails, inside the failing message's scope: the correlation, message
 * and causation IDs are current and in the MDC, so the line it logs is the error line of that
 * flow. The exception then passes on to the caller unchanged (to the poll loop, amqp-client's
 * {@code ExceptionHandler}, the SQS listener). The default hook of every module does nothing.
 *
 * <pre>{@code
 * KafkaCorrelation kafka = KafkaCorrelation.builder()
 *     .errorHook((record, error) -> log.error("failed at offset {}", record.offset(), error))
 *     .build();
 * }</pre>
 *
 * <p>A hook that throws does not change what the caller sees: its exception is reported with a
 * rate-limited WARN and the handler's exception passes on. Hooks may run on many threads at once.
 *
 * @param <M> the message type: Kafka {@code ConsumerRecord}, RabbitMQ {@code Delivery}, SQS
 *     {@code Message}
 */
@FunctionalInterface
public interface ErrorHook<M> {
  /**
   * Called with the message whose handler failed and what it threw, before the exception passes on.
   */
  void onError(M message, Throwable error);
}
