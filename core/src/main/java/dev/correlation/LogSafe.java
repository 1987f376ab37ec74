package dev.correlation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders a value that came from outside (a header value or name, a queue URL, a batch entry ID, a
 * client's exception message) so that it can go into a log line or an exception message without
 * forging or breaking a line: printable ASCII only, quoted, control and non-ASCII characters
 * escaped ({@code \n}, {@code \u2028}, {@code \x0a} for bytes), at most 64 units shown. Every
 * library log line uses it for such values; broker modules use it for theirs. Thread safe.
 */
public final class LogSafe {
  private static final int SHOWN = 64;

  private LogSafe() {}

  /**
   * The escaped rendering of {@code raw}: {@code (none)} for null; a quoted string for text and
   * for a {@code byte[]} (bytes outside printable ASCII as {@code \xNN}); a list as its first four
   * elements. A value whose {@code toString} throws is shown by its class name. Never throws.
   */
  public static String escape(@Nullable Object raw) {
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
      int n;
      try {
        n = values.size();
        for (int i = 0; i < n && i < 4; i++) {
          Object value = values.get(i);
          // a list inside a list is shown by its type only: no recursion into foreign structures
          out.append(i == 0 ? "" : ", ")
              .append(value instanceof List ? "(nested list)" : escape(value));
        }
      } catch (RuntimeException e) {
        return raw.getClass().getName();
      }
      return out.append(n > 4 ? ", ...]" : "]").toString();
    }
    String text;
    try {
      text = raw.toString();
    } catch (RuntimeException e) {
      text = raw.getClass().getName();
    }
    if (text == null) {
      return "(none)";
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

  /**
   * A log-safe description of a failure: its class name and its escaped message, without the
   * stack trace (whose text would be written unescaped by the logging backend).
   */
  public static String describe(Throwable failure) {
    String message;
    try {
      message = failure.getMessage();
    } catch (RuntimeException e) {
      message = null;
    }
    return failure.getClass().getName() + (message == null ? "" : ": " + escape(message));
  }

  private static StringBuilder more(StringBuilder out, int hidden) {
    return hidden > 0 ? out.append("...(").append(hidden).append(" more)") : out;
  }
}
