package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Baggage.Defect;
import dev.correlation.Baggage.Written;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BaggageTest {
  static final String KEY = "correlation_id";

  static Stream<Arguments> reads() {
    return Stream.of(
        Arguments.of("the only member", "correlation_id=abc", "abc"),
        Arguments.of("among others", "userId=alice,correlation_id=abc,serverNode=DF%2028", "abc"),
        Arguments.of("optional whitespace everywhere",
            " a=1 ,\tcorrelation_id \t=\t abc \t; p1 ; p2 = v ,b=2", "abc"),
        Arguments.of("with properties", "correlation_id=abc;ttl=30;tenant", "abc"),
        Arguments.of("percent-encoded value", "correlation_id=order%3A%2042%25", "order: 42%"),
        Arguments.of("percent-encoded UTF-8", "correlation_id=%C3%A9t%C3%A9", "\u00e9t\u00e9"),
        Arguments.of("lowercase percent digits", "correlation_id=a%2fb", "a/b"),
        Arguments.of("not UTF-8: replacement character", "correlation_id=a%FFb", "a\ufffdb"),
        Arguments.of("empty value", "correlation_id=", ""),
        Arguments.of("empty list elements skipped", ",,correlation_id=abc,,", "abc"),
        Arguments.of("same value twice", "correlation_id=abc,x=1,correlation_id=abc", "abc"),
        Arguments.of("another member invalid", "bad member,x=\"q\",correlation_id=abc", "abc"),
        Arguments.of("keys are case-sensitive", "Correlation_ID=abc", null),
        Arguments.of("a key that only starts like ours", "correlation_id2=abc", null),
        Arguments.of("absent", "a=1,b=2", null),
        Arguments.of("empty header", "", null),
        Arguments.of("value with a space", "correlation_id=a b", Defect.MALFORMED),
        Arguments.of("value with a double quote", "correlation_id=\"abc\"", Defect.MALFORMED),
        Arguments.of("value with a backslash", "correlation_id=a\\b", Defect.MALFORMED),
        Arguments.of("value with a control character", "correlation_id=a\nb", Defect.MALFORMED),
        Arguments.of("value with non-ASCII", "correlation_id=\u00e9", Defect.MALFORMED),
        Arguments.of("no equals sign", "correlation_id", Defect.MALFORMED),
        Arguments.of("property without a key", "correlation_id=abc;=v", Defect.MALFORMED),
        Arguments.of("property value with a space", "correlation_id=abc;p=a b",
            Defect.MALFORMED),
        Arguments.of("stray percent", "correlation_id=50%", Defect.BAD_ESCAPE),
        Arguments.of("percent with non-hex", "correlation_id=%zz", Defect.BAD_ESCAPE),
        Arguments.of("two different values", "correlation_id=a,correlation_id=b",
            Defect.CONFLICTING));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reads")
  void readsOurMember(String rule, String header, Object expected) {
    assertThat(Baggage.member(header, KEY)).as(rule + ": " + header).isEqualTo(expected);
  }

  @Test
  void readsBytesAndRepeatedHeaders() {
    assertThat(Baggage.member("x=1,correlation_id=abc".getBytes(StandardCharsets.UTF_8), KEY))
        .isEqualTo("abc");
    assertThat(Baggage.member(List.of("x=1", "correlation_id=abc"), KEY)).isEqualTo("abc");
    assertThat(Baggage.member("correlation_id=\u00e9".getBytes(StandardCharsets.UTF_8), KEY))
        .isEqualTo(Defect.MALFORMED);
    assertThat(Baggage.member(null, KEY)).isNull();
    assertThat(Baggage.member(List.of(), KEY)).isNull();
    assertThat(Baggage.member(42, KEY)).isEqualTo(Defect.WRONG_TYPE);
  }

  static Stream<Arguments> encodings() {
    return Stream.of(
        Arguments.of("a safe ID as it is", "order-42.a:b+c/d=e_f", "order-42.a:b+c/d=e_f"),
        Arguments.of("percent", "50%", "50%25"),
        Arguments.of("space", "a b", "a%20b"),
        Arguments.of("double quote", "\"", "%22"),
        Arguments.of("comma and semicolon", ",;", "%2C%3B"),
        Arguments.of("backslash", "\\", "%5C"),
        Arguments.of("control characters", "\n\u007f", "%0A%7F"),
        Arguments.of("non-ASCII as UTF-8", "\u00e9\u20ac", "%C3%A9%E2%82%AC"),
        Arguments.of("the other punctuation stays", "!#$&'()*<>?@[]^`{|}~",
            "!#$&'()*<>?@[]^`{|}~"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void encodesWhereTheRecommendationRequires(String rule, String value, String encoded) {
    assertThat(Baggage.encode(value)).as(rule).isEqualTo(encoded);
    assertThat(Baggage.member(KEY + "=" + encoded, KEY)).as("round trip").isEqualTo(value);
  }

  @Test
  void everyCharacterRoundTrips() {
    StringBuilder all = new StringBuilder();
    for (char c = 1; c < 0x300; c++) {
      all.append(c);
    }
    String value = all.toString();
    Written w = (Written) Baggage.withMember(null, KEY, value);
    assertThat(Baggage.member(w.header(), KEY)).isEqualTo(value);
  }

  @Test
  void writesOurMemberIntoNoHeader() {
    assertThat(Baggage.withMember(null, KEY, "abc")).isEqualTo(new Written("correlation_id=abc", 0));
  }

  @Test
  void appendsOurMemberKeepingEveryOtherMemberVerbatim() {
    String theirs = "userId=alice;ttl=30 , serverNode=DF%2028,isProduction=false;p";
    assertThat(Baggage.withMember(theirs, KEY, "abc")).isEqualTo(new Written(
        "userId=alice;ttl=30,serverNode=DF%2028,isProduction=false;p,correlation_id=abc", 0));
  }

  @Test
  void replacesOurMemberInPlaceAndDropsOtherCopies() {
    assertThat(Baggage.withMember("a=1,correlation_id=old;p,b=2,correlation_id=older", KEY, "new"))
        .isEqualTo(new Written("a=1,correlation_id=new,b=2", 0));
  }

  @Test
  void leavesOutInvalidMembersAndCountsThem() {
    assertThat(Baggage.withMember("a=1,no equals,b=\"q\",c=3", KEY, "x"))
        .isEqualTo(new Written("a=1,c=3,correlation_id=x", 2));
    assertThat(Baggage.withMember(42, KEY, "x")).as("not text: left alone")
        .isEqualTo(Defect.WRONG_TYPE);
  }

  @Test
  void readsExistingBytesAndRepeatedHeaders() {
    assertThat(Baggage.withMember("a=1".getBytes(StandardCharsets.UTF_8), KEY, "x"))
        .isEqualTo(new Written("a=1,correlation_id=x", 0));
    assertThat(Baggage.withMember(List.of("a=1", "b=2"), KEY, "x"))
        .isEqualTo(new Written("a=1,b=2,correlation_id=x", 0));
  }

  @Test
  void keepsAtMost180Members() {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 179; i++) {
      members.add("k" + i + "=v");
    }
    String full = String.join(",", members);
    Written w = (Written) Baggage.withMember(full, KEY, "x");
    assertThat(w.header().split(",")).hasSize(180);
    assertThat(Baggage.withMember(full + ",k179=v", KEY, "x")).isEqualTo(Defect.FULL);
    // replacing ours does not add a member
    assertThat(Baggage.withMember(full + ",correlation_id=old", KEY, "x")).isInstanceOf(Written.class);
  }

  @Test
  void keepsAtMost8192BytesAndNeverCutsAMember() {
    String ours = ",correlation_id=x";
    String big = "big=" + "v".repeat(8192 - ours.length() - 4);
    Written w = (Written) Baggage.withMember(big, KEY, "x");
    assertThat(w.header()).hasSize(8192).endsWith(ours);
    assertThat(Baggage.withMember(big + "v", KEY, "x")).isEqualTo(Defect.FULL);
    // the limit counts encoded bytes
    assertThat(Baggage.withMember(big, KEY, "%")).isEqualTo(Defect.FULL);
  }

  @Test
  void keysAreTokens() {
    assertThat(Baggage.isKey("correlation_id")).isTrue();
    assertThat(Baggage.isKey("x-flow.id!#$%&'*+^`|~")).isTrue();
    assertThat(Baggage.isKey("")).isFalse();
    assertThat(Baggage.isKey("a b")).isFalse();
    assertThat(Baggage.isKey("a=b")).isFalse();
    assertThat(Baggage.isKey("a,b")).isFalse();
    assertThat(Baggage.isKey("\u00e9")).isFalse();
  }
}
