package dev.correlation;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * What a scope writes to the logs under one configuration: the three built-in SLF4J MDC keys (the
 * default decorator, written inline by {@link Frame} so that a scope allocates nothing for it) and
 * the configured {@link ScopeDecorator}s. Immutable.
 */
final class MdcKeys {
  private static final ScopeDecorator[] NONE = new ScopeDecorator[0];

  /** Whether the three keys are written ({@code correlation.mdc.enabled}). */
  final boolean mdc;
  final String correlation;
  final String message;
  final String causation;
  final ScopeDecorator[] decorators;
  final BadInputLog log;

  MdcKeys(String correlation, String message, String causation) {
    this(true, correlation, message, causation, NONE, new BadInputLog(
        BadInputLog.DEFAULT_WINDOW_NANOS, System::nanoTime));
  }

  MdcKeys(boolean mdc, String correlation, String message, String causation,
      ScopeDecorator[] decorators, BadInputLog log) {
    this.mdc = mdc;
    this.correlation = correlation;
    this.message = message;
    this.causation = causation;
    this.decorators = decorators;
    this.log = log;
  }

  /**
   * Whether a scope that opens no flow has anything to undo on this thread: one of the three keys
   * has a value, or a decorator is configured (what it wrote cannot be known from here).
   */
  boolean anyPresent() {
    return decorators.length > 0 || (mdc && (MDC.get(correlation) != null
        || MDC.get(message) != null || MDC.get(causation) != null));
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
