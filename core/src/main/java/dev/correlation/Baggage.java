package dev.correlation;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes one member of a W3C {@code baggage} header, following the recommendation:
 * {@code list-member = key OWS "=" OWS value *( OWS ";" OWS property )}, members separated by
 * commas, keys RFC 7230 tokens, values of {@code baggage-octet}s with everything else (and
 * {@code %}) percent-encoded as UTF-8, at most {@value #MAX_MEMBERS} members and
 * {@value #MAX_BYTES} bytes, and never a partial member. Other members are passed on verbatim.
 * Never throws.
 */
final class Baggage {
  /** The header name the recommendation fixes. */
  static final String HEADER = CorrelationConfig.BAGGAGE_HEADER;
  static final int MAX_BYTES = 8192;
  static final int MAX_MEMBERS = 180;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** What makes a member unusable, or a header unwritable. */
  enum Defect {
    WRONG_TYPE("of an unsupported type"),
    MALFORMED("the member is not key=value[;properties] of tokens and baggage-octets"),
    BAD_ESCAPE("the value holds a % not followed by two hex digits"),
    CONFLICTING("the member is present more than once with different values"),
    FULL("adding the member would take the header past " + MAX_MEMBERS + " members or "
        + MAX_BYTES + " bytes");

    final String reason;

    Defect(String reason) {
      this.reason = reason;
    }
  }

  /** A header to send, and how many invalid members of the old one it leaves out. */
  record Written(String header, int dropped) {}

  private Baggage() {}

  /** Whether {@code name} can be a baggage key: a non-empty RFC 7230 token. */
  static boolean isKey(String name) {
    return !name.isEmpty() && tokenEnd(name, 0, name.length()) == name.length();
  }

  /**
   * The decoded value of member {@code key} of a {@code baggage} header ({@code String},
   * {@code CharSequence}, {@code byte[]}, or a {@code List} of those, which are joined as HTTP
   * joins repeated list headers), or the {@link Defect} that makes that member unusable; null when
   * the header or the member is absent. Invalid members under other keys are not our concern.
   */
  static @Nullable Object member(@Nullable Object raw, String key) {
    if (raw == null) {
      return null;
    }
    String header = text(raw);
    if (header == null) {
      return empty(raw) ? null : Defect.WRONG_TYPE;
    }
    String found = null;
    for (String member : members(header)) {
      if (!key.equals(keyOf(member))) {
        continue;
      }
      int[] value = parse(member);
      if (value == null) {
        return Defect.MALFORMED;
      }
      Object decoded = decode(member, value[0], value[1]);
      if (decoded instanceof Defect) {
        return decoded;
      }
      if (found != null && !found.equals(decoded)) {
        return Defect.CONFLICTING;
      }
      found = (String) decoded;
    }
    return found;
  }

  /**
   * The header {@code existing} with member {@code key} set to {@code value}: a member under the
   * same key is replaced in place, otherwise ours is appended; valid members under other keys are
   * kept verbatim, invalid ones left out (and counted). {@link Defect#FULL} when the result would
   * exceed the limits, {@link Defect#WRONG_TYPE} when the existing value is not text: then the
   * caller leaves the header as it was.
   *
   * @param key a valid key ({@link #isKey})
   */
  static Object withMember(@Nullable Object existing, String key, String value) {
    String ours = key + '=' + encode(value);
    List<String> out = new ArrayList<>();
    int dropped = 0;
    String header = text(existing);
    if (header == null) {
      if (existing != null && !empty(existing)) {
        return Defect.WRONG_TYPE; // someone's header we cannot read: not ours to overwrite
      }
    } else {
      boolean placed = false;
      for (String member : members(header)) {
        if (parse(member) == null) {
          dropped++;
        } else if (!key.equals(keyOf(member))) {
          out.add(member);
        } else if (!placed) {
          out.add(ours);
          placed = true;
        } // a second copy of our member goes: the one written is the only one
      }
      if (!placed) {
        out.add(ours);
      }
    }
    if (header == null) {
      out.add(ours);
    }
    String joined = String.join(",", out);
    if (out.size() > MAX_MEMBERS || joined.length() > MAX_BYTES) {
      return Defect.FULL; // never cut a member, nor someone else's: ours stays in our own header
    }
    return new Written(joined, dropped);
  }

  /** The value percent-encoded as the recommendation requires: UTF-8, %XX outside baggage-octet. */
  static String encode(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(utf8.length + 8);
    for (byte b : utf8) {
      int c = b & 0xFF;
      if (octet(c) && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static boolean empty(Object raw) {
    return raw instanceof List && ((List<?>) raw).isEmpty();
  }

  private static @Nullable String text(@Nullable Object raw) {
    if (raw instanceof CharSequence) {
      return raw.toString();
    }
    if (raw instanceof byte[]) {
      // Latin-1 keeps every byte one char: a non-ASCII byte then fails the member it is in
      return new String((byte[]) raw, StandardCharsets.ISO_8859_1);
    }
    if (raw instanceof List) {
      List<?> values = (List<?>) raw;
      List<String> texts = new ArrayList<>(values.size());
      for (Object v : values) {
        String t = v instanceof List ? null : text(v);
        if (t == null) {
          return null;
        }
        texts.add(t);
      }
      return texts.isEmpty() ? null : String.join(",", texts);
    }
    return null;
  }

  /** The members of a header, trimmed of optional whitespace; empty list elements skipped. */
  private static List<String> members(String header) {
    List<String> out = new ArrayList<>();
    int from = 0;
    int length = header.length();
    while (from <= length) {
      int comma = header.indexOf(',', from);
      int to = comma < 0 ? length : comma;
      int s = from;
      int e = to;
      while (s < e && ows(header.charAt(s))) {
        s++;
      }
      while (e > s && ows(header.charAt(e - 1))) {
        e--;
      }
      if (e > s) {
        out.add(header.substring(s, e));
      }
      from = to + 1;
    }
    return out;
  }

  /** The key of a trimmed member: its first token, or null if it does not start with one. */
  private static @Nullable String keyOf(String member) {
    int end = tokenEnd(member, 0, member.length());
    return end == 0 ? null : member.substring(0, end);
  }

  /**
   * Checks a trimmed member against {@code key OWS "=" OWS value *( OWS ";" OWS property )}.
   *
   * @return {valueStart, valueEnd}, or null if the member is not valid
   */
  private static int @Nullable [] parse(String m) {
    int n = m.length();
    int i = tokenEnd(m, 0, n);
    if (i == 0) {
      return null;
    }
    i = skipOws(m, i);
    if (i == n || m.charAt(i) != '=') {
      return null;
    }
    int valueStart = skipOws(m, i + 1);
    int valueEnd = octetsEnd(m, valueStart);
    i = valueEnd;
    while (true) {
      i = skipOws(m, i);
      if (i == n) {
        return new int[] {valueStart, valueEnd};
      }
      if (m.charAt(i) != ';') {
        return null;
      }
      i = skipOws(m, i + 1);
      int keyEnd = tokenEnd(m, i, n);
      if (keyEnd == i) {
        return null;
      }
      i = skipOws(m, keyEnd);
      if (i < n && m.charAt(i) == '=') {
        i = octetsEnd(m, skipOws(m, i + 1));
      }
    }
  }

  private static Object decode(String member, int from, int to) {
    if (member.indexOf('%', from) < 0 || member.indexOf('%', from) >= to) {
      return member.substring(from, to);
    }
    ByteBuffer bytes = ByteBuffer.allocate(to - from);
    for (int i = from; i < to; i++) {
      char c = member.charAt(i);
      if (c != '%') {
        bytes.put((byte) c);
        continue;
      }
      int hi = i + 2 < to ? Character.digit(member.charAt(i + 1), 16) : -1;
      int lo = i + 2 < to ? Character.digit(member.charAt(i + 2), 16) : -1;
      if (hi < 0 || lo < 0) {
        return Defect.BAD_ESCAPE;
      }
      bytes.put((byte) (hi << 4 | lo));
      i += 2;
    }
    bytes.flip();
    try {
      // the recommendation: octets that are not UTF-8 become U+FFFD (which no validator takes)
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError(e); // REPLACE never reports
    }
  }

  private static int skipOws(String s, int i) {
    while (i < s.length() && ows(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean ows(char c) {
    return c == ' ' || c == '\t';
  }

  private static int tokenEnd(String s, int from, int to) {
    int i = from;
    while (i < to && tchar(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int octetsEnd(String s, int from) {
    int i = from;
    while (i < s.length() && octet(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** RFC 7230 tchar. */
  private static boolean tchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /** baggage-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E. */
  private static boolean octet(int c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A)
        || (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
  }
}
