package dev.correlation;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a raw header value into an ID, or says what is wrong with it. Allocation-free on the
 * common path (an ASCII byte array or a String); never throws.
 */
final class IdReader {
  /** Longest broker message ID we accept (the AMQP short-string limit). */
  static final int MESSAGE_ID_MAX = 255;

  /** Message IDs are the brokers' own (topic-partition@offset, UUIDs): any visible ASCII. */
  static final IdValidator MESSAGE_ID = id -> {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return false;
      }
    }
    return !id.isEmpty();
  };

  private IdReader() {}

  /**
   * Reads {@code raw}: a {@code String}, a {@code byte[]} of UTF-8, another {@code CharSequence},
   * or a {@code List} of those for a header present several times (a list inside that list is a
   * value of the wrong type: carriers hand over repeated headers, not structures).
   *
   * @return the ID as a {@code String}, or the {@link Problem} that disqualifies it
   */
  static Object read(@Nullable Object raw, int maxLength, IdValidator validator) {
    String valid = readValid(raw, maxLength, validator);
    if (valid != null) {
      return valid; // the common case: one pass, no closer look needed
    }
    if (raw == null) {
      return Problem.MISSING;
    }
    if (raw instanceof String) {
      String id = (String) raw;
      return plain(id, maxLength) ? validate(id, validator, true) : check(id, maxLength, validator);
    }
    if (raw instanceof byte[]) {
      byte[] bytes = (byte[]) raw;
      if (plain(bytes, maxLength)) {
        // Visible ASCII is its own Latin-1: the JDK copies it into a compact string as it is.
        return validate(new String(bytes, StandardCharsets.ISO_8859_1), validator, true);
      }
      Object decoded = decode(bytes, maxLength);
      return decoded instanceof String ? check((String) decoded, maxLength, validator) : decoded;
    }
    if (raw instanceof CharSequence) {
      return check(raw.toString(), maxLength, validator);
    }
    if (raw instanceof List) {
      return readAll((List<?>) raw, maxLength, validator);
    }
    return Problem.WRONG_TYPE;
  }

  /**
   * The common case, in few bytes of code: {@code raw} is one string or one byte array that the
   * default validator (or, for {@link #MESSAGE_ID}, the visible-ASCII rule) accepts as it is.
   * Null for anything else, which {@link #read} then looks at closely; never a different answer
   * from {@link #read} for what it accepts.
   */
  static @Nullable String readValid(@Nullable Object raw, int maxLength, IdValidator validator) {
    if (validator != IdValidators.SAFE_TOKEN && validator != MESSAGE_ID) {
      return null;
    }
    if (raw instanceof byte[]) {
      byte[] bytes = (byte[]) raw;
      boolean ok = validator == IdValidators.SAFE_TOKEN
          ? IdValidators.isSafeToken(bytes, maxLength) : plain(bytes, maxLength);
      // visible ASCII is its own Latin-1: the JDK copies it into a compact string as it is
      return ok ? new String(bytes, StandardCharsets.ISO_8859_1) : null;
    }
    if (raw instanceof String) {
      String id = (String) raw;
      boolean ok = validator == IdValidators.SAFE_TOKEN
          ? id.length() <= maxLength && IdValidators.SAFE_TOKEN.isValid(id) : plain(id, maxLength);
      return ok ? id : null;
    }
    return null;
  }

  /** One copy of a repeated header: a value, never a list again (no recursion). */
  private static Object readOne(@Nullable Object raw, int maxLength, IdValidator validator) {
    return raw instanceof List ? Problem.WRONG_TYPE : read(raw, maxLength, validator);
  }

  /**
   * The common case, in one pass: 1 to maxLength characters of visible ASCII, not a JSON literal.
   * Such a value cannot hold a control character, non-ASCII or a broken surrogate, so only the
   * validator is left to ask.
   */
  private static boolean plain(String id, int maxLength) {
    int length = id.length();
    if (length == 0 || length > maxLength || id.charAt(0) == '"') {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static boolean plain(byte[] id, int maxLength) {
    int length = id.length;
    if (length == 0 || length > maxLength || id[0] == '"') {
      return false;
    }
    for (byte b : id) {
      if (b <= 0x20 || b == 0x7F) { // negative bytes (non-ASCII) included
        return false;
      }
    }
    return true;
  }

  private static Object readAll(List<?> values, int maxLength, IdValidator validator) {
    if (values.isEmpty()) {
      return Problem.MISSING;
    }
    Object first = readOne(values.get(0), maxLength, validator);
    for (int i = 1; i < values.size(); i++) {
      Object other = readOne(values.get(i), maxLength, validator);
      if (!(other instanceof String)) {
        return other;
      }
      if (first instanceof String && !first.equals(other)) {
        return Problem.CONFLICTING; // two flows claim this message: trust neither
      }
    }
    return first;
  }

  private static Object decode(byte[] bytes, int maxLength) {
    int length = bytes.length;
    if (length == 0) {
      return Problem.EMPTY;
    }
    for (byte b : bytes) {
      if (b < 0) {
        return decodeUtf8(bytes, maxLength);
      }
    }
    // Quotes of a JSON literal may come on top of the maximum.
    if (length > maxLength + 2) {
      return Problem.TOO_LONG;
    }
    // ASCII is its own Latin-1: the JDK copies it into a compact string without decoding.
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static Object decodeUtf8(byte[] bytes, int maxLength) {
    if (bytes.length > 3 * (maxLength + 2)) {
      return Problem.TOO_LONG; // cannot decode to maxLength chars: no need to look closer
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return Problem.MALFORMED;
    }
  }

  private static Object check(String value, int maxLength, IdValidator validator) {
    String id = value;
    int length = id.length();
    if (length == 0) {
      return Problem.EMPTY;
    }
    if (length > maxLength + 2) {
      return Problem.TOO_LONG;
    }
    if (length >= 2 && id.charAt(0) == '"' && id.charAt(length - 1) == '"') {
      id = id.substring(1, length - 1); // a JSON string literal, as some header mappers write
      length -= 2;
      if (length == 0) {
        return Problem.EMPTY;
      }
    }
    if (length > maxLength) {
      return Problem.TOO_LONG;
    }
    boolean ascii = true;
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
        return Problem.CONTROL_CHARACTER;
      }
      if (c >= 0x80) {
        ascii = false;
        if (Character.isHighSurrogate(c)) {
          if (i + 1 == length || !Character.isLowSurrogate(id.charAt(i + 1))) {
            return Problem.MALFORMED;
          }
          i++;
        } else if (Character.isLowSurrogate(c)) {
          return Problem.MALFORMED;
        }
      }
    }
    return validate(id, validator, ascii);
  }

  /**
   * Asks {@code validator} about {@code id} (a validator that throws rejects). {@code ascii}: the
   * value is known to be ASCII, so a rejection is the validator's ({@code REJECTED}); otherwise the
   * likely cause is reported ({@code NON_ASCII}).
   */
  private static Object validate(String id, IdValidator validator, boolean ascii) {
    boolean valid;
    try {
      valid = validator.isValid(id);
    } catch (RuntimeException e) {
      valid = false; // a broken custom validator must not break message handling
    }
    if (!valid) {
      return ascii ? Problem.REJECTED : Problem.NON_ASCII;
    }
    return id;
  }
}
