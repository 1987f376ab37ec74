package dev.correlation.sqs;

import dev.correlation.CorrelationPropagator;
import dev.correlation.LogSafe;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The attributes of one message being sent, as a carrier for core's propagator: reads the request's
 * own map, copies it on the first write, and refuses a write that would take the message past the
 * SQS limit of {@value #MAX_ATTRIBUTES} attributes. In strict mode that refusal is an
 * {@link SdkClientException} naming the message instead of a {@code false}. One instance per
 * message, used by one thread.
 */
final class OutgoingAttributes {
  /** SQS rejects a message with more message attributes than this. */
  static final int MAX_ATTRIBUTES = 10;

  static final CorrelationPropagator.Getter<OutgoingAttributes> GETTER =
      new CorrelationPropagator.Getter<>() {
        @Override
        public @Nullable Object get(OutgoingAttributes carrier, String name) {
          return MessageAttributes.raw(carrier.current().get(name));
        }

        @Override
        public boolean isExplicit(OutgoingAttributes carrier, String name) {
          return ExplicitAttributes.isPinned(carrier.current().get(name));
        }
      };
  static final CorrelationPropagator.Setter<OutgoingAttributes> SETTER =
      (carrier, name, value) -> carrier.put(name, value, false);
  /** Marks what it writes as written for an explicit flow, for the interceptor to leave alone. */
  static final CorrelationPropagator.Setter<OutgoingAttributes> EXPLICIT =
      (carrier, name, value) -> carrier.put(name, value, true);

  private final Map<String, MessageAttributeValue> original;
  private final @Nullable String queueUrl;
  private final @Nullable String entryId;
  private final boolean strict;
  private @Nullable Map<String, MessageAttributeValue> copy;

  OutgoingAttributes(Map<String, MessageAttributeValue> original, @Nullable String queueUrl,
      @Nullable String entryId, boolean strict) {
    this.original = original;
    this.queueUrl = queueUrl;
    this.entryId = entryId;
    this.strict = strict;
  }

  private Map<String, MessageAttributeValue> current() {
    Map<String, MessageAttributeValue> written = copy;
    return written != null ? written : original;
  }

  /** The attributes to send, or null when nothing was written. */
  @Nullable Map<String, MessageAttributeValue> written() {
    return copy;
  }

  private boolean put(String name, String value, boolean explicit) {
    Map<String, MessageAttributeValue> attributes = current();
    if (!attributes.containsKey(name) && attributes.size() >= MAX_ATTRIBUTES) {
      if (strict) {
        throw SdkClientException.create("Not sent: " + this + " has no room for message attribute "
            + name + " (" + SqsCorrelation.STRICT + "=true)");
      }
      return false;
    }
    Map<String, MessageAttributeValue> written = copy;
    if (written == null) {
      written = new HashMap<>(2 * MAX_ATTRIBUTES);
      written.putAll(original);
      copy = written;
    }
    MessageAttributeValue attribute =
        MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    written.put(name, explicit ? ExplicitAttributes.pin(attribute) : attribute);
    return true;
  }

  /**
   * Names the message in core's WARN and in the strict-mode exception; the queue URL and the entry
   * ID are the caller's, so they are escaped.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(96).append("SQS message");
    if (queueUrl != null) {
      s.append(" to queue ").append(LogSafe.escape(queueUrl));
    }
    if (entryId != null) {
      s.append(queueUrl != null ? ", batch entry " : " in batch entry ")
          .append(LogSafe.escape(entryId));
    }
    return s.append(" (").append(current().size()).append(" of ").append(MAX_ATTRIBUTES)
        .append(" message attributes used)").toString();
  }
}
