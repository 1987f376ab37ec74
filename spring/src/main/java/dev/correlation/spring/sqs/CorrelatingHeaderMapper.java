package dev.correlation.spring.sqs;

import dev.correlation.sqs.SqsCorrelation;
import io.awspring.cloud.sqs.support.converter.ContextAwareHeaderMapper;
import io.awspring.cloud.sqs.support.converter.HeaderMapper;
import io.awspring.cloud.sqs.support.converter.MessageConversionContext;
import java.util.UUID;
import org.springframework.messaging.MessageHeaders;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Writes the current flow into the attributes of a message being converted for sending, through
 * {@link SqsCorrelation#decorate(SendMessageBatchRequestEntry)}: the same rules and the same
 * 10-attribute budget as the SDK interceptor, with the attributes Spring mapped from the headers
 * already counted. It runs on the thread that called {@code SqsTemplate.send}, which is what
 * carries the flow into a first send to a queue, made later on an SDK thread. A message written
 * for an explicit flow ({@link SpringSqsCorrelation#inject}) gets that flow instead, through
 * {@link SqsCorrelation#inject(SendMessageBatchRequestEntry, dev.correlation.CorrelationContext)}.
 * Either way the SDK interceptor leaves what it wrote alone. The entry ID in a WARN is Spring's
 * message ID.
 */
final class CorrelatingHeaderMapper implements ContextAwareHeaderMapper<Message> {
  private final SpringSqsCorrelation sqs;
  private final HeaderMapper<Message> delegate;

  CorrelatingHeaderMapper(SpringSqsCorrelation sqs, HeaderMapper<Message> delegate) {
    this.sqs = sqs;
    this.delegate = delegate;
  }

  @Override
  public Message fromHeaders(MessageHeaders headers) {
    Message mapped = delegate.fromHeaders(headers);
    UUID id = headers.getId();
    SendMessageBatchRequestEntry entry = SendMessageBatchRequestEntry.builder()
        .id(id == null ? null : id.toString())
        .messageAttributes(mapped.messageAttributes())
        .build();
    SendMessageBatchRequestEntry decorated = sqs.beforeSend(headers, entry);
    return decorated == entry
        ? mapped : mapped.toBuilder().messageAttributes(decorated.messageAttributes()).build();
  }

  @Override
  public MessageHeaders toHeaders(Message source) {
    return delegate.toHeaders(source);
  }

  @Override
  public MessageHeaders createContextHeaders(Message source, MessageConversionContext context) {
    return delegate instanceof ContextAwareHeaderMapper
        ? ((ContextAwareHeaderMapper<Message>) delegate).createContextHeaders(source, context)
        : new MessageHeaders(null);
  }

  @Override
  public String toString() {
    return "CorrelatingHeaderMapper{" + delegate + '}';
  }
}
