package dev.correlation;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The correlation state of one unit of work: the flow's correlation ID, the broker ID of the message
 * being handled (if any) and the ID of the message that caused it (if any).
 *
 * <p>Immutable and thread safe. Instances are cheap; the UTF-8 form of each ID is computed once and
 * reused for every message sent under this context.
 *
 * <p>A context read from a message by a broker module (or a {@link CorrelationPropagator})
 * remembers the configuration it was read with, and opening it anywhere, including through
 * {@link Correlation#open(CorrelationContext)} or {@link Correlation#runWith(CorrelationContext,
 * Runnable)}, writes that configuration's MDC keys. A context made with {@link #of} writes the
 * process-wide ones. Equality ignores where a context came from.
 *
 * <p>A context read from a message also carries the {@linkplain #field(String) fields} its
 * configuration captures ({@link CorrelationConfig.Builder#captureHeaders}): values for
 * {@link ScopeDecorator}s to write to the logs, never sent on.
 */
public final class CorrelationContext {
  private final String correlationId;
  private final @Nullable String messageId;
  private final @Nullable String causationId;
  // The configuration that read this context, whose MDC keys it is opened with; null: process-wide.
  final @Nullable CorrelationConfig origin;
  // Captured headers, by header name; the shared empty map when none (the common case).
  private final Map<String, String> fields;
  // Racy single-check caches, like String.hash: every thread computes the same bytes.
  private byte @Nullable [] correlationIdUtf8;
  private byte @Nullable [] messageIdUtf8;

  private CorrelationContext(String correlationId, @Nullable String messageId,
      @Nullable String causationId, @Nullable CorrelationConfig origin,
      Map<String, String> fields) {
    this.correlationId = correlationId;
    this.messageId = messageId;
    this.causationId = causationId;
    this.origin = origin;
    this.fields = fields;
  }

  /** A context read or started under {@code origin}; the ID is known to be non-empty. */
  static CorrelationContext read(String correlationId, @Nullable String messageId,
      @Nullable String causationId, CorrelationConfig origin) {
    return new CorrelationContext(correlationId, messageId, causationId, origin, Map.of());
  }

  /** Like {@link #read}, with captured header values (an unmodifiable map, possibly empty). */
  static CorrelationContext read(String correlationId, @Nullable String messageId,
      @Nullable String causationId, CorrelationConfig origin, Map<String, String> fields) {
    return new CorrelationContext(correlationId, messageId, causationId, origin, fields);
  }

  /**
   * A context at the edge of a flow: no message is being handled.
   *
   * @throws NullPointerException if {@code correlationId} is null
   * @throws IllegalArgumentException if {@code correlationId} is empty
   */
  public static CorrelationContext of(String correlationId) {
    return of(correlationId, null, null);
  }

  /**
   * A context for handling one message.
   *
   * @param correlationId the flow's ID; never changes along the flow
   * @param messageId the broker's ID of the message being handled, or null at the edge
   * @param causationId the ID of the message that caused this one, or null at the edge
   * @throws NullPointerException if {@code correlationId} is null
   * @throws IllegalArgumentException if {@code correlationId} is empty
   */
  public static CorrelationContext of(String correlationId, @Nullable String messageId,
      @Nullable String causationId) {
    Objects.requireNonNull(correlationId, "correlationId == null");
    if (correlationId.isEmpty()) {
      throw new IllegalArgumentException("correlationId is empty");
    }
    return new CorrelationContext(correlationId, messageId, causationId, null, Map.of());
  }

  /** The flow's ID. */
  public String correlationId() {
    return correlationId;
  }

  /** The broker's ID of the message being handled now, or null at the edge of a flow. */
  public @Nullable String messageId() {
    return messageId;
  }

  /** The ID of the message that caused the one being handled, or null. */
  public @Nullable String causationId() {
    return causationId;
  }

  /**
   * The value of a header captured with this context
   * ({@link CorrelationConfig.Builder#captureHeaders}), by its configured name, or null when the
   * message did not carry it or it was not visible ASCII (up to 255 characters, so it is safe in a
   * log line). Contexts made with {@link #of} have none.
   */
  public @Nullable String field(String header) {
    return fields.isEmpty() ? null : fields.get(header);
  }

  /** All captured header values by header name; unmodifiable, empty when none. */
  public Map<String, String> fields() {
    return fields;
  }

  /** UTF-8 of {@link #correlationId()}; shared, callers must not modify it. */
  byte[] correlationIdUtf8() {
    byte[] bytes = correlationIdUtf8;
    if (bytes == null) {
      bytes = correlationId.getBytes(StandardCharsets.UTF_8);
      correlationIdUtf8 = bytes;
    }
    return bytes;
  }

  /** UTF-8 of {@link #messageId()}, or null; shared, callers must not modify it. */
  byte @Nullable [] messageIdUtf8() {
    String id = messageId;
    if (id == null) {
      return null;
    }
    byte[] bytes = messageIdUtf8;
    if (bytes == null) {
      bytes = id.getBytes(StandardCharsets.UTF_8);
      messageIdUtf8 = bytes;
    }
    return bytes;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CorrelationContext)) {
      return false;
    }
    CorrelationContext that = (CorrelationContext) o;
    return correlationId.equals(that.correlationId)
        && Objects.equals(messageId, that.messageId)
        && Objects.equals(causationId, that.causationId)
        && fields.equals(that.fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(correlationId, messageId, causationId)
        + (fields.isEmpty() ? 0 : 31 * fields.hashCode());
  }

  @Override
  public String toString() {
    return "CorrelationContext{correlationId=" + correlationId
        + ", messageId=" + messageId
        + ", causationId=" + causationId
        + (fields.isEmpty() ? "" : ", fields=" + fields) + '}';
  }
}
