package dev.correlation;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** The three MDC keys a scope writes, and how it writes them. Immutable. */
final class MdcKeys {
  final String correlation;
  final String message;
  final String causation;

  MdcKeys(String correlation, String message, String causation) {
    this.correlation = correlation;
    this.message = message;
    this.causation = causation;
  }

  /** Whether any of the three keys has a value in this thread's MDC. */
  boolean anyPresent() {
    return MDC.get(correlation) != null || MDC.get(message) != null || MDC.get(causation) != null;
  }

  /** Sets {@code value} under {@code key}, or removes the key for null; never puts null. */
  static void set(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
