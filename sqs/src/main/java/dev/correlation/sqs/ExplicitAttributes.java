package dev.correlation.sqs;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The attribute values this process wrote for an explicit flow ({@link SqsCorrelation#inject(
 * software.amazon.awssdk.services.sqs.model.SendMessageRequest,
 * dev.correlation.CorrelationContext)}), by identity, so that the execution interceptor leaves
 * such a message alone. {@link MessageAttributeValue} is a final SDK class, so unlike Kafka headers
 * and AMQP long strings it cannot carry a type of ours; SDK builders keep the value instances they
 * are given, so identity survives from the decorated request to the interceptor. Held weakly: a
 * value is forgotten when the request is. No cost while nothing is registered.
 */
final class ExplicitAttributes {
  private static final ReferenceQueue<MessageAttributeValue> COLLECTED = new ReferenceQueue<>();
  private static final Set<Object> PINNED = ConcurrentHashMap.newKeySet();

  private ExplicitAttributes() {}

  static MessageAttributeValue pin(MessageAttributeValue value) {
    for (Object gone; (gone = COLLECTED.poll()) != null; ) {
      PINNED.remove(gone);
    }
    PINNED.add(new Pinned(value, COLLECTED));
    return value;
  }

  static boolean isPinned(@Nullable MessageAttributeValue value) {
    return value != null && !PINNED.isEmpty() && PINNED.contains(new Probe(value));
  }

  private static final class Pinned extends WeakReference<MessageAttributeValue> {
    private final int hash;

    Pinned(MessageAttributeValue value, ReferenceQueue<MessageAttributeValue> queue) {
      super(value, queue);
      hash = System.identityHashCode(value);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (o == this) {
        return true;
      }
      Object target = get();
      if (o instanceof Probe) {
        return target != null && ((Probe) o).value == target;
      }
      return o instanceof Pinned && target != null && ((Pinned) o).get() == target;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** A lookup key: equal to the entry for the same instance. */
  private static final class Probe {
    final MessageAttributeValue value;

    Probe(MessageAttributeValue value) {
      this.value = value;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Pinned && ((Pinned) o).get() == value;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(value);
    }
  }
}
