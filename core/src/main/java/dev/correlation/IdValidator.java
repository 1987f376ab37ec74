package dev.correlation;

/**
 * Decides whether an incoming correlation ID is acceptable. An ID it rejects is replaced by a
 * fresh one, with a rate-limited WARN.
 *
 * <p>Before any validator runs, the library has already rejected values that are empty, longer
 * than the configured maximum, malformed UTF-8 or Unicode, or contain control characters (CR, LF,
 * tab, NUL, U+2028, U+2029 and the like): no validator can let those into a log line. Implementations
 * must be thread safe and must not throw.
 */
@FunctionalInterface
public interface IdValidator {
  /** True when {@code id} may be used as it is. */
  boolean isValid(String id);

  /**
   * The default: 1 to 128 characters of {@code A-Z a-z 0-9 . _ : + / = -}. Safe in any log
   * format, URL-safe base64 and UUIDs pass; whitespace, quotes and non-ASCII do not.
   */
  static IdValidator safeToken() {
    return IdValidators.SAFE_TOKEN;
  }

  /** Only canonical UUIDs: 36 characters, 8-4-4-4-12 hex digits, either case. */
  static IdValidator strictUuid() {
    return IdValidators.STRICT_UUID;
  }

  /**
   * Anything the library's own checks let through: bounded by the configured maximum length, free
   * of control characters, line separators and invisible format characters (bidi overrides).
   */
  static IdValidator acceptAny() {
    return IdValidators.ACCEPT_ANY;
  }
}
