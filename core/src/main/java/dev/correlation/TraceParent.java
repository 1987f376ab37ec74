package dev.correlation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the trace-id of a W3C Trace Context {@code traceparent} header, parsed as the
 * recommendation's header-format section says: version {@code 00} exactly 55 characters; version
 * {@code ff} invalid; a higher version parsed by the {@code 00} layout, anything after the flags
 * ignored when it starts with a dash; lowercase hex only; an all-zero trace-id or parent-id
 * invalid. Surrounding spaces and tabs (HTTP's optional whitespace) are not part of the value. A
 * header present more than once is invalid. Never throws; allocates only the returned ID.
 */
final class TraceParent {
  /** The header name the recommendation fixes. */
  static final String HEADER = CorrelationConfig.TRACEPARENT_HEADER;

  private static final int VERSION_00_LENGTH = 55;
  private static final int TRACE_ID_START = 3;
  private static final int TRACE_ID_END = 35;
  private static final int PARENT_ID_END = 52;

  /** What makes a {@code traceparent} unusable; each names the rule it breaks. */
  enum Defect {
    WRONG_TYPE("of an unsupported type"),
    REPEATED("present more than once"),
    NON_ASCII("contains non-ASCII characters"),
    TOO_SHORT("shorter than 55 characters"),
    VERSION_00_LENGTH("version 00 but not exactly 55 characters"),
    VERSION_NOT_HEX("version is not two lowercase hex digits"),
    VERSION_FF("version ff is invalid"),
    MISPLACED_DASH("fields not separated by single dashes at positions 2, 35 and 52"),
    TRACE_ID_NOT_HEX("trace-id is not 32 lowercase hex digits"),
    TRACE_ID_ZERO("trace-id is all zeros"),
    PARENT_ID_NOT_HEX("parent-id is not 16 lowercase hex digits"),
    PARENT_ID_ZERO("parent-id is all zeros"),
    FLAGS_NOT_HEX("trace-flags are not two lowercase hex digits"),
    NO_DASH_AFTER_FLAGS("trace-flags of a future version not followed by a dash or the end");

    final String reason;

    Defect(String reason) {
      this.reason = reason;
    }
  }

  private TraceParent() {}

  /**
   * The 32-hex trace-id of {@code raw} (a {@code String}, another {@code CharSequence}, a
   * {@code byte[]} of ASCII, or a {@code List} of one of those), or the {@link Defect} that makes
   * it invalid. Null for an absent header.
   */
  static @Nullable Object traceId(@Nullable Object raw) {
    if (raw == null) {
      return null;
    }
    Object value = raw;
    if (value instanceof List) {
      List<?> values = (List<?>) value;
      if (values.isEmpty()) {
        return null;
      }
      if (values.size() > 1) {
        return Defect.REPEATED; // the recommendation: more than one traceparent restarts the trace
      }
      value = values.get(0);
    }
    String text;
    if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      for (byte b : bytes) {
        if (b < 0) {
          return Defect.NON_ASCII;
        }
      }
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    } else if (value instanceof CharSequence) {
      text = value.toString();
    } else {
      return Defect.WRONG_TYPE;
    }
    return parse(text);
  }

  /** The trace-id of {@code header}, or the {@link Defect} that makes it invalid. */
  static Object parse(String header) {
    int start = 0;
    int end = header.length();
    while (start < end && ows(header.charAt(start))) {
      start++;
    }
    while (end > start && ows(header.charAt(end - 1))) {
      end--;
    }
    for (int i = start; i < end; i++) {
      if (header.charAt(i) >= 0x80) {
        return Defect.NON_ASCII;
      }
    }
    String h = header.substring(start, end);
    int length = h.length();
    if (length < 2) {
      return Defect.TOO_SHORT;
    }
    if (!hex(h, 0, 2)) {
      return Defect.VERSION_NOT_HEX;
    }
    if (h.charAt(0) == 'f' && h.charAt(1) == 'f') {
      return Defect.VERSION_FF;
    }
    if (h.charAt(0) == '0' && h.charAt(1) == '0' && length != VERSION_00_LENGTH) {
      return Defect.VERSION_00_LENGTH;
    }
    if (length < VERSION_00_LENGTH) {
      return Defect.TOO_SHORT; // a future version shorter than 00's layout: restart the trace
    }
    if (h.charAt(2) != '-' || h.charAt(TRACE_ID_END) != '-' || h.charAt(PARENT_ID_END) != '-') {
      return Defect.MISPLACED_DASH;
    }
    if (!hex(h, TRACE_ID_START, TRACE_ID_END)) {
      return Defect.TRACE_ID_NOT_HEX;
    }
    if (zero(h, TRACE_ID_START, TRACE_ID_END)) {
      return Defect.TRACE_ID_ZERO;
    }
    if (!hex(h, TRACE_ID_END + 1, PARENT_ID_END)) {
      return Defect.PARENT_ID_NOT_HEX;
    }
    if (zero(h, TRACE_ID_END + 1, PARENT_ID_END)) {
      return Defect.PARENT_ID_ZERO;
    }
    if (!hex(h, PARENT_ID_END + 1, VERSION_00_LENGTH)) {
      return Defect.FLAGS_NOT_HEX;
    }
    if (length > VERSION_00_LENGTH && h.charAt(VERSION_00_LENGTH) != '-') {
      return Defect.NO_DASH_AFTER_FLAGS;
    }
    return h.substring(TRACE_ID_START, TRACE_ID_END);
  }

  private static boolean ows(char c) {
    return c == ' ' || c == '\t';
  }

  /** Lowercase hex only: the recommendation's HEXDIGLC. */
  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean zero(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
