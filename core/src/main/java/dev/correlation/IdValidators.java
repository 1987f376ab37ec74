package dev.correlation;

/** The built-in validators. */
final class IdValidators {
  static final int SAFE_TOKEN_MAX = 128;
  private static final boolean[] SAFE = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      SAFE[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      SAFE[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      SAFE[c] = true;
    }
    for (char c : "._:+/=-".toCharArray()) {
      SAFE[c] = true;
    }
  }

  static final IdValidator SAFE_TOKEN = new Named("safeToken") {
    @Override
    public boolean isValid(String id) {
      int length = id.length();
      if (length == 0 || length > SAFE_TOKEN_MAX) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        char c = id.charAt(i);
        if (c >= 128 || !SAFE[c]) {
          return false;
        }
      }
      return true;
    }
  };

  /**
   * Whether {@code bytes} are 1 to {@code maxLength} (and at most {@value #SAFE_TOKEN_MAX}) bytes of
   * what {@link #SAFE_TOKEN} accepts: the same rule on bytes, in one pass, for byte carriers.
   */
  static boolean isSafeToken(byte[] bytes, int maxLength) {
    int length = bytes.length;
    if (length == 0 || length > maxLength || length > SAFE_TOKEN_MAX) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      if (b < 0 || !SAFE[b]) {
        return false;
      }
    }
    return true;
  }

  static final IdValidator STRICT_UUID = new Named("strictUuid") {
    @Override
    public boolean isValid(String id) {
      if (id.length() != 36) {
        return false;
      }
      for (int i = 0; i < 36; i++) {
        char c = id.charAt(i);
        boolean ok = (i == 8 || i == 13 || i == 18 || i == 23)
            ? c == '-'
            : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  };

  static final IdValidator ACCEPT_ANY = new Named("acceptAny") {
    @Override
    public boolean isValid(String id) {
      for (int i = 0; i < id.length(); i++) {
        if (Character.getType(id.charAt(i)) == Character.FORMAT) {
          return false; // bidi overrides and zero-width characters can disguise a log line
        }
      }
      return !id.isEmpty();
    }
  };

  private IdValidators() {}

  /** Named so that configuration can print and compare built-ins. */
  private abstract static class Named implements IdValidator {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
