package dev.correlation;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARNs about bad headers: at most one per {@link Problem} per window (a minute by default),
 * counting what it held back, with the offending value escaped and truncated so that it can never
 * forge or break a log line.
 */
final class BadInputLog {
  static final Logger LOG = LoggerFactory.getLogger(CorrelationPropagator.class);
  static final long DEFAULT_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final long windowNanos;
  private final LongSupplier nanoClock;
  // Guarded by this; touched only when a bad value arrives.
  private final long[] nextAllowed = new long[Problem.values().length];
  private final long[] suppressed = new long[Problem.values().length];
  private final boolean[] armed = new boolean[Problem.values().length];

  BadInputLog(long windowNanos, LongSupplier nanoClock) {
    this.windowNanos = windowNanos;
    this.nanoClock = nanoClock;
  }

  /**
   * WARNs, unless this problem was already reported within the window.
   *
   * @param what the start of the line, e.g. "Bad correlation ID in header "
   * @param header the header or property the value came from (a configured, safe name)
   * @param raw the value as it arrived
   * @param outcome what the library did instead, e.g. "using fresh ID 1234"
   */
  void report(Problem problem, String what, String header, @Nullable Object raw, String outcome) {
    report(problem, what, header, raw, outcome, null);
  }

  /** As above, with the exception that caused it (its class and escaped message). */
  void report(Problem problem, String what, String header, @Nullable Object raw, String outcome,
      @Nullable Throwable cause) {
    if (!LOG.isWarnEnabled()) {
      return;
    }
    long held = acquire(problem);
    if (held < 0) {
      return;
    }
    String suppressed =
        held == 0 ? "" : "; " + held + " similar warning(s) suppressed in the last minute";
    // The cause goes in as text, not as a Throwable: a backend prints a Throwable's message as
    // it is, and a client's message can hold whatever it was given.
    LOG.warn("{}{} ({}): {}; {}{}{}", what, clean(header), describe(problem, raw),
        LogSafe.escape(raw), clean(outcome),
        cause == null ? "" : "; cause: " + LogSafe.describe(cause), suppressed);
  }

  /** -1 when the window is still closed, else how many reports it held back. */
  private synchronized long acquire(Problem problem) {
    int i = problem.ordinal();
    long now = nanoClock.getAsLong();
    if (armed[i] && now - nextAllowed[i] < 0) {
      suppressed[i]++;
      return -1;
    }
    armed[i] = true;
    nextAllowed[i] = now + windowNanos;
    long held = suppressed[i];
    suppressed[i] = 0;
    return held;
  }

  private static String describe(Problem problem, @Nullable Object raw) {
    if (problem == Problem.WRONG_TYPE && raw != null) {
      return problem.reason + ": " + raw.getClass().getName();
    }
    if (problem == Problem.TOO_LONG) {
      if (raw instanceof byte[]) {
        return problem.reason + ": " + ((byte[]) raw).length + " bytes";
      }
      if (raw instanceof CharSequence) {
        return problem.reason + ": " + ((CharSequence) raw).length() + " characters";
      }
    }
    return problem.reason;
  }

  /**
   * Text of ours that may embed something from outside (a topic in "a record for topic x", a queue
   * URL in a carrier's description): printable ASCII passes as it is, anything else is escaped in
   * place, so no argument can break the line even if a caller forgot to escape it.
   */
  static String clean(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7F) {
        String quoted = LogSafe.escape(text.length() > 512 ? text.substring(0, 512) : text);
        return quoted.substring(1, quoted.lastIndexOf('"'));
      }
    }
    return text;
  }
}
