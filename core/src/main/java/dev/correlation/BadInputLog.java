package dev.correlation;

import java.util.List;
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
  private static final int SHOWN = 64;

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

  /** As above, with the exception that caused it (logged with its stack trace). */
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
    if (cause == null) {
      LOG.warn("{}{} ({}): {}; {}{}", what, header, describe(problem, raw), escape(raw), outcome,
          suppressed);
    } else {
      LOG.warn("{}{} ({}): {}; {}{}", what, header, describe(problem, raw), escape(raw), outcome,
          suppressed, cause);
    }
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

  /** A log-safe rendering of any header value: printable ASCII only, at most 64 units shown. */
  static String escape(@Nullable Object raw) {
    if (raw == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder(SHOWN + 24);
    if (raw instanceof byte[]) {
      byte[] bytes = (byte[]) raw;
      out.append('"');
      int shown = Math.min(bytes.length, SHOWN);
      for (int i = 0; i < shown; i++) {
        int b = bytes[i] & 0xFF;
        if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
          out.append((char) b);
        } else {
          out.append(String.format("\\x%02x", b));
        }
      }
      return more(out.append('"'), bytes.length - shown).toString();
    }
    if (raw instanceof List) {
      List<?> values = (List<?>) raw;
      out.append('[');
      for (int i = 0; i < values.size() && i < 4; i++) {
        out.append(i == 0 ? "" : ", ").append(escape(values.get(i)));
      }
      return out.append(values.size() > 4 ? ", ...]" : "]").toString();
    }
    String text;
    try {
      text = raw.toString();
    } catch (RuntimeException e) {
      text = raw.getClass().getName();
    }
    out.append('"');
    int shown = Math.min(text.length(), SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c >= 0x20 && c < 0x7F) {
            out.append(c);
          } else {
            out.append(String.format("\\u%04x", (int) c));
          }
        }
      }
    }
    return more(out.append('"'), text.length() - shown).toString();
  }

  private static StringBuilder more(StringBuilder out, int hidden) {
    return hidden > 0 ? out.append("...(").append(hidden).append(" more)") : out;
  }
}
