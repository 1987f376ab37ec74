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
          MessageAttributeValue value = carrier.current().get(name);
          return value != null && value.dataType() == EXPLICIT_TYPE; // by identity: see below
        }
      };
  static final CorrelationPropagator.Setter<OutgoingAttributes> SETTER =
      (carrier, name, value) -> carrier.put(name, value, false);
  /** Marks what it writes as written for an explicit flow, for the interceptor to leave alone. */
  static final CorrelationPropagator.Setter<OutgoingAttributes> EXPLICIT =
      (carrier, name, value) -> carrier.put(name, value, true);

  /**
   * The data type of the attribute values written for an explicit flow: {@code "String"}, as a
   * distinct instance of its own. The wire carries only its text, so a receiver sees a plain
   * {@code String} attribute; in this process the instance marks the value for the interceptor,
   * which leaves it alone. SDK builders keep the instances they are given (the value, and the
   * value's data type), through {@code toBuilder()} copies and the batch manager, so the mark
   * survives from the decorated request to the interceptor at no cost: no registry, nothing held.
   * Only this class can hold the instance, so no value built elsewhere carries the mark.
   */
  @SuppressWarnings("StringOperationCanBeSimplified") // a distinct instance is the point
  private static final String EXPLICIT_TYPE = new String("String");

  private final Map<String, MessageAttributeValue> original;
  private final @Nullable String queueUrl;
  private final @Nullable String entryId;
  private final boolean strict;
  private final @Nullable Built built;
  private @Nullable Map<String, MessageAttributeValue> copy;

  /**
   * @param built the attributes already built for the other entries of the same batch (they
   *     carry the same flow), or null for a single message
   */
  OutgoingAttributes(Map<String, MessageAttributeValue> original, @Nullable String queueUrl,
      @Nullable String entryId, boolean strict, @Nullable Built built) {
    this.original = original;
    this.queueUrl = queueUrl;
    this.entryId = entryId;
    this.strict = strict;
    this.built = built;
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
      // room for ours (two) without a resize; the SDK copies it again anyway
      written = new HashMap<>((int) ((original.size() + 2) / 0.75f) + 1);
      written.putAll(original);
      copy = written;
    }
    written.put(name, attribute(value, explicit));
    return true;
  }

  private MessageAttributeValue attribute(String value, boolean explicit) {
    Built memo = built;
    MessageAttributeValue attribute = memo != null ? memo.get(value) : null;
    if (attribute == null) {
      attribute = MessageAttributeValue.builder().dataType(explicit ? EXPLICIT_TYPE : "String")
          .stringValue(value).build();
      if (memo != null) {
        memo.add(value, attribute);
      }
    }
    return attribute;
  }

  /**
   * The attribute values one batch has built so far, by the identity of their string: the entries
   * of a batch carry the same flow, so the correlation and causation attributes (immutable) are
   * built once per batch, not once per entry. Values written outside any flow differ per entry
   * and miss. Two slots: one write is at most those two values.
   */
  static final class Built {
    private @Nullable String first;
    private @Nullable MessageAttributeValue firstAttribute;
    private @Nullable String second;
    private @Nullable MessageAttributeValue secondAttribute;

    @Nullable MessageAttributeValue get(String value) {
      return value == first ? firstAttribute : value == second ? secondAttribute : null;
    }

    void add(String value, MessageAttributeValue attribute) {
      if (first == null) {
        first = value;
        firstAttribute = attribute;
      } else {
        second = value; // the latest wins the second slot
        secondAttribute = attribute;
      }
    }
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
