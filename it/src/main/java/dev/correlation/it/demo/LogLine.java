package dev.correlation.it.demo;

import org.jspecify.annotations.Nullable;

/**
 * One log line as the logging backend saw it: the service (logger), the thread, the three MDC
 * values at logging time, and the message.
 */
public record LogLine(String service, String thread, @Nullable String correlationId,
    @Nullable String messageId, @Nullable String causationId, String message) {

  /** The line as the demo prints it, in the shape of {@code %X{correlation_id}} patterns. */
  public String render(boolean withIds) {
    if (!withIds) {
      return String.format("%-11s %-17s %s", service, thread, message);
    }
    return String.format("%-11s %-17s [c=%s m=%-20s cause=%-20s] %s", service, thread,
        shortId(correlationId), shortId(messageId), shortId(causationId), message);
  }

  /** UUIDs cut to their first 8 characters, as people quote them; other IDs in full. */
  private static String shortId(@Nullable String id) {
    if (id == null) {
      return "-";
    }
    return id.length() == 36 && id.charAt(8) == '-' ? id.substring(0, 8) : id;
  }
}
