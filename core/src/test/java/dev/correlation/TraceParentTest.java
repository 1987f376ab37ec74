package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.TraceParent.Defect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One vector per rule of the header-format section of the W3C Trace Context recommendation
 * (traceparent: version, version-format, trace-id, parent-id, trace-flags, and the rules for
 * parsing a version higher than 00).
 */
class TraceParentTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT = "00f067aa0ba902b7";
  static final String VALID = "00-" + TRACE + "-" + PARENT + "-01";

  static Stream<Arguments> vectors() {
    return Stream.of(
        // version 00: trace-id "-" parent-id "-" trace-flags, exactly 55 characters
        Arguments.of("version 00, sampled", VALID, TRACE),
        Arguments.of("version 00, not sampled", "00-" + TRACE + "-" + PARENT + "-00", TRACE),
        Arguments.of("unknown flag bits are ignored", "00-" + TRACE + "-" + PARENT + "-fe", TRACE),
        Arguments.of("HTTP optional whitespace around the value", " \t" + VALID + "\t ", TRACE),
        Arguments.of("version 00 with a dash and more after the flags",
            VALID + "-what-the-future-will-be-like", Defect.VERSION_00_LENGTH),
        Arguments.of("version 00 with a character after the flags", VALID + ".",
            Defect.VERSION_00_LENGTH),
        Arguments.of("version 00 one character short", VALID.substring(0, 54),
            Defect.VERSION_00_LENGTH),
        Arguments.of("version 00 with a 31-digit trace-id",
            "00-" + TRACE.substring(1) + "-" + PARENT + "-01", Defect.VERSION_00_LENGTH),
        Arguments.of("version 00 with a 17-digit parent-id",
            "00-" + TRACE + "-" + PARENT + "0-01", Defect.VERSION_00_LENGTH),
        // version: 2 lowercase hex digits, ff forbidden
        Arguments.of("version ff", "ff-" + TRACE + "-" + PARENT + "-01", Defect.VERSION_FF),
        Arguments.of("version in uppercase hex", "0A-" + TRACE + "-" + PARENT + "-01",
            Defect.VERSION_NOT_HEX),
        Arguments.of("version not hex", "0g-" + TRACE + "-" + PARENT + "-01",
            Defect.VERSION_NOT_HEX),
        Arguments.of("version of one digit", "0-" + TRACE + "-" + PARENT + "-01",
            Defect.VERSION_NOT_HEX),
        Arguments.of("empty", "", Defect.TOO_SHORT),
        Arguments.of("whitespace only", "  ", Defect.TOO_SHORT),
        // trace-id: 32 lowercase hex digits, not all zero
        Arguments.of("trace-id in uppercase hex",
            "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01", Defect.TRACE_ID_NOT_HEX),
        Arguments.of("trace-id not hex", "00-" + TRACE.substring(0, 31) + "g-" + PARENT + "-01",
            Defect.TRACE_ID_NOT_HEX),
        Arguments.of("trace-id all zeros", "00-" + "0".repeat(32) + "-" + PARENT + "-01",
            Defect.TRACE_ID_ZERO),
        // parent-id: 16 lowercase hex digits, not all zero
        Arguments.of("parent-id in uppercase hex", "00-" + TRACE + "-00F067AA0BA902B7-01",
            Defect.PARENT_ID_NOT_HEX),
        Arguments.of("parent-id not hex", "00-" + TRACE + "-00f067aa0ba902bz-01",
            Defect.PARENT_ID_NOT_HEX),
        Arguments.of("parent-id all zeros", "00-" + TRACE + "-" + "0".repeat(16) + "-01",
            Defect.PARENT_ID_ZERO),
        // trace-flags: 2 lowercase hex digits
        Arguments.of("trace-flags in uppercase hex", "00-" + TRACE + "-" + PARENT + "-0A",
            Defect.FLAGS_NOT_HEX),
        Arguments.of("trace-flags not hex", "00-" + TRACE + "-" + PARENT + "-0x",
            Defect.FLAGS_NOT_HEX),
        // separators: single dashes between the fields
        Arguments.of("underscores for dashes", "00_" + TRACE + "_" + PARENT + "_01",
            Defect.MISPLACED_DASH),
        Arguments.of("dash moved into the trace-id",
            "00-" + TRACE.substring(0, 31) + "-0" + PARENT + "-01",
            Defect.MISPLACED_DASH),
        // a higher version: parsed by the 00 layout, fields after the flags ignored
        Arguments.of("future version, 00 layout", "cc-" + TRACE + "-" + PARENT + "-01", TRACE),
        Arguments.of("future version with more fields",
            "cc-" + TRACE + "-" + PARENT + "-01-what-the-future-will-be-like", TRACE),
        Arguments.of("future version with unknown flags", "01-" + TRACE + "-" + PARENT + "-ff",
            TRACE),
        Arguments.of("future version with no dash after the flags",
            "cc-" + TRACE + "-" + PARENT + "-01.what-the-future-will-be-like",
            Defect.NO_DASH_AFTER_FLAGS),
        Arguments.of("future version shorter than 55 characters",
            "cc-" + TRACE + "-" + PARENT + "-0", Defect.TOO_SHORT),
        Arguments.of("future version with a zero trace-id",
            "cc-" + "0".repeat(32) + "-" + PARENT + "-01-x", Defect.TRACE_ID_ZERO),
        Arguments.of("future version with an uppercase parent-id",
            "cc-" + TRACE + "-00F067AA0BA902B7-01", Defect.PARENT_ID_NOT_HEX),
        Arguments.of("future version with non-hex flags", "cc-" + TRACE + "-" + PARENT + "-zz",
            Defect.FLAGS_NOT_HEX),
        // not ASCII at all
        Arguments.of("a non-ASCII character", VALID.substring(0, 54) + "\u00e9",
            Defect.NON_ASCII));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void parsesAsTheRecommendationSays(String rule, String header, Object expected) {
    assertThat(TraceParent.parse(header)).as(rule + ": " + header).isEqualTo(expected);
    assertThat(TraceParent.traceId(header)).as("as a String header").isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void readsKafkaStyleBytesTheSameWay(String rule, String header, Object expected) {
    assertThat(TraceParent.traceId(header.getBytes(StandardCharsets.UTF_8))).as(rule)
        .isEqualTo(expected);
  }

  @Test
  void absentHeaderIsNoDefect() {
    assertThat(TraceParent.traceId(null)).isNull();
    assertThat(TraceParent.traceId(List.of())).isNull();
  }

  @Test
  void oneHeaderInAListIsRead() {
    assertThat(TraceParent.traceId(List.of(VALID))).isEqualTo(TRACE);
  }

  @Test
  void twoTraceparentHeadersRestartTheTrace() {
    assertThat(TraceParent.traceId(List.of(VALID, VALID))).isEqualTo(Defect.REPEATED);
    assertThat(TraceParent.traceId(List.of(VALID, "00-" + TRACE.replace('4', '5') + "-"
        + PARENT + "-01"))).isEqualTo(Defect.REPEATED);
  }

  @Test
  void valueOfAnotherTypeIsWrongType() {
    assertThat(TraceParent.traceId(42)).isEqualTo(Defect.WRONG_TYPE);
  }

  @Test
  void nonAsciiBytesAreRejectedBeforeDecoding() {
    byte[] bytes = VALID.getBytes(StandardCharsets.US_ASCII);
    bytes[10] = (byte) 0xC3;
    assertThat(TraceParent.traceId(bytes)).isEqualTo(Defect.NON_ASCII);
  }
}
