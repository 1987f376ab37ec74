package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import dev.correlation.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PropagatorTest {
  /** A carrier like an SQS message: a map with an optional capacity. */
  static final class Carrier {
    final Map<String, Object> headers = new LinkedHashMap<>();
    final int capacity;

    Carrier(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public String toString() {
      return "test carrier";
    }
  }

  static final CorrelationPropagator.Getter<Carrier> GET = (c, name) -> c.headers.get(name);
  static final CorrelationPropagator.Setter<Carrier> SET = (c, name, value) -> {
    if (!c.headers.containsKey(name) && c.headers.size() >= c.capacity) {
      return false;
    }
    c.headers.put(name, value);
    return true;
  };

  private final AtomicLong clock = new AtomicLong();
  private final CorrelationPropagator propagator = CorrelationPropagator.create(
      CorrelationConfig.builder().warnWindow(TimeUnit.MINUTES.toNanos(1), clock::get).build());
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void detach() {
    log.close();
  }

  private static Carrier carrier(Object... pairs) {
    Carrier c = new Carrier(10);
    for (int i = 0; i < pairs.length; i += 2) {
      c.headers.put((String) pairs[i], pairs[i + 1]);
    }
    return c;
  }

  @Test
  void sendWritesTheCurrentIdAndNoCausationAtTheEdgeOfAFlow() {
    Carrier c = carrier();
    Correlation.runWith("order-42", () -> propagator.inject(c, GET, SET));
    assertThat(c.headers).containsExactly(Map.entry("X-Correlation-ID", "order-42"));
  }

  @Test
  void sendWhileHandlingAMessageWritesCausationFromItsMessageId() {
    Carrier c = carrier("X-Causation-ID", "stale-from-forwarded-headers");
    Correlation.runWith(CorrelationContext.of("flow", "orders-0@7", "x"),
        () -> propagator.inject(c, GET, SET));
    assertThat(c.headers).containsEntry("X-Correlation-ID", "flow")
        .containsEntry("X-Causation-ID", "orders-0@7");
  }

  @Test
  void keepsAValidCallerSetHeaderOutsideAnyScope() {
    byte[] callers = "callers-own".getBytes(StandardCharsets.UTF_8);
    Carrier c = carrier("X-Correlation-ID", callers);
    propagator.inject(c, GET, SET);
    assertThat(c.headers.get("X-Correlation-ID")).isSameAs(callers);
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void insideAScopeSendReadsNoHeaderValues() {
    CorrelationPropagator.Getter<Carrier> presenceOnly = new CorrelationPropagator.Getter<>() {
      @Override
      public Object get(Carrier carrier, String name) {
        throw new AssertionError("send inside a scope must not read values");
      }

      @Override
      public boolean contains(Carrier carrier, String name) {
        return carrier.headers.containsKey(name);
      }
    };
    Carrier forwarded = carrier("X-Correlation-ID", "from-the-incoming-message");
    Carrier empty = carrier();
    Correlation.runWith("current", () -> {
      propagator.inject(forwarded, presenceOnly, SET);
      propagator.inject(empty, presenceOnly, SET);
    });
    assertThat(forwarded.headers).containsEntry("X-Correlation-ID", "current");
    assertThat(empty.headers).containsEntry("X-Correlation-ID", "current");
  }

  @Test
  void generatesAtTheEdgeUnlessConfiguredNotTo() {
    Carrier c = carrier();
    propagator.inject(c, GET, SET);
    assertThat((String) c.headers.get("X-Correlation-ID")).matches("[0-9a-f-]{36}");
    Carrier none = carrier();
    CorrelationPropagator.create(CorrelationConfig.builder().generateWhenMissing(false).build())
        .inject(none, GET, SET);
    assertThat(none.headers).isEmpty();
  }

  @Test
  void correlationHasPriorityOverCausationWhenRoomRunsOut() {
    Carrier c = new Carrier(1);
    boolean complete = Correlation.supplyWith(CorrelationContext.of("flow", "m-1", null),
        () -> propagator.inject(c, GET, SET));
    assertThat(complete).isFalse();
    assertThat(c.headers).containsExactly(Map.entry("X-Correlation-ID", "flow"));
    assertThat(log.warnings()).singleElement().asString()
        .contains("X-Causation-ID", "no room", "test carrier");
  }

  @Test
  void injectsAnExplicitContextInsteadOfThisThreads() {
    Carrier captured = carrier();
    Carrier outsideAnyFlow = carrier();
    Correlation.runWith(CorrelationContext.of("sdk-thread-flow", "m-9", null), () -> {
      propagator.inject(captured, GET, SET, CorrelationContext.of("caller-flow", "m-1", null));
      propagator.inject(outsideAnyFlow, GET, SET, null);
    });
    assertThat(captured.headers).containsExactly(Map.entry("X-Correlation-ID", "caller-flow"),
        Map.entry("X-Causation-ID", "m-1"));
    assertThat(outsideAnyFlow.headers).containsOnlyKeys("X-Correlation-ID");
    assertThat(outsideAnyFlow.headers.get("X-Correlation-ID"))
        .isNotEqualTo("sdk-thread-flow").isNotEqualTo("caller-flow");
  }

  @Test
  void setterReceivesCachedUtf8Bytes() {
    CorrelationContext ctx = CorrelationContext.of("bytes", "m", null);
    Carrier c = carrier();
    CorrelationPropagator.Setter<Carrier> bytes = new CorrelationPropagator.Setter<>() {
      @Override
      public boolean set(Carrier carrier, String name, String value) {
        throw new AssertionError("the byte form must be used");
      }

      @Override
      public boolean set(Carrier carrier, String name, String value, byte[] utf8) {
        carrier.headers.put(name, utf8);
        return true;
      }
    };
    Correlation.runWith(ctx, () -> propagator.inject(c, GET, bytes));
    Correlation.runWith(ctx, () -> propagator.inject(carrier(), GET, bytes));
    assertThat(c.headers.get("X-Correlation-ID")).isSameAs(ctx.correlationIdUtf8());
    assertThat(c.headers.get("X-Causation-ID")).isSameAs(ctx.messageIdUtf8());
  }

  @Test
  void receiveUsesTheIncomingIdMessageIdAndCausation() {
    CorrelationContext ctx = propagator.extract(
        carrier("X-Correlation-ID", "order-42".getBytes(StandardCharsets.UTF_8),
            "X-Causation-ID", "orders-0@6"), GET, "orders-0@7");
    assertThat(ctx).isEqualTo(CorrelationContext.of("order-42", "orders-0@7", "orders-0@6"));
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void unquotesAJsonStringLiteral() {
    assertThat(propagator.extract(carrier("X-Correlation-ID", "\"abc-1\""), GET, null)
        .correlationId()).isEqualTo("abc-1");
    assertThat(propagator.extract(carrier("X-Correlation-ID",
        "\"abc-2\"".getBytes(StandardCharsets.UTF_8)), GET, null).correlationId())
        .isEqualTo("abc-2");
  }

  @Test
  void acceptsIdenticalCopiesOfARepeatedHeader() {
    assertThat(propagator.extract(carrier("X-Correlation-ID",
        List.of("same".getBytes(StandardCharsets.UTF_8), "same")), GET, null).correlationId())
        .isEqualTo("same");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("missing", null),
        Arguments.of("empty", ""),
        Arguments.of("empty", new byte[0]),
        Arguments.of("empty", "\"\""),
        Arguments.of("too long", "x".repeat(10_240)),
        Arguments.of("too long", "y".repeat(10_240).getBytes(StandardCharsets.UTF_8)),
        Arguments.of("too long", "x".repeat(129)),
        Arguments.of("control character", "ok\nINFO fake log line"),
        Arguments.of("control character", "ok\r\n"),
        Arguments.of("control character", "nul\u0000"),
        Arguments.of("control character", "tab\tbed"),
        Arguments.of("control character", "line\u2028sep"),
        Arguments.of("not valid UTF-8", new byte[] {'a', (byte) 0xC3, (byte) 0x28}),
        Arguments.of("not valid UTF-8", new byte[] {(byte) 0xFF, (byte) 0xFE}),
        Arguments.of("not valid UTF-8", "lone\uD800surrogate"),
        Arguments.of("not valid UTF-8", "lone\uDC00low"),
        Arguments.of("non-ASCII", "caf\u00e9"),
        Arguments.of("non-ASCII", "caf\u00e9".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("rejected by the validator", "has space"),
        Arguments.of("rejected by the validator", "semi;colon"),
        Arguments.of("unsupported type", 42),
        Arguments.of("unsupported type", Map.of("k", "v")),
        Arguments.of("different values", List.of("one", "two")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badValues")
  void replacesBadIdWithAFreshOneAndWarnsOnceEscaped(String reason, Object value) {
    Carrier c = carrier();
    if (value != null) {
      c.headers.put("X-Correlation-ID", value);
    }
    CorrelationContext first = propagator.extract(c, GET, "q-1");
    CorrelationContext second = propagator.extract(c, GET, "q-2");

    assertThat(first.correlationId()).matches("[0-9a-f-]{36}");
    assertThat(second.correlationId()).matches("[0-9a-f-]{36}").isNotEqualTo(first.correlationId());
    assertThat(first.messageId()).isEqualTo("q-1");
    List<String> warnings = log.warnings();
    assertThat(warnings).as("one WARN per cause within the window").hasSize(1);
    String line = warnings.get(0);
    assertThat(line).contains("X-Correlation-ID", reason, first.correlationId())
        .hasSizeLessThan(400);
    assertThat(line.chars()).as("no raw control or non-ASCII character in the log line")
        .allMatch(ch -> ch >= 0x20 && ch < 0x7F);
  }

  @Test
  void warnsAgainAfterTheWindowCountingWhatItHeldBack() {
    Carrier empty = carrier("X-Correlation-ID", "");
    propagator.extract(empty, GET, null);
    propagator.extract(empty, GET, null);
    propagator.extract(empty, GET, null);
    propagator.extract(carrier("X-Correlation-ID", 7), GET, null); // another cause: its own WARN
    assertThat(log.warnings()).hasSize(2);
    clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
    propagator.extract(empty, GET, null);
    assertThat(log.warnings()).hasSize(3).last().asString().contains("2 similar warning(s)");
  }

  @Test
  void badCausationIsDroppedAndBadMessageIdIgnored() {
    CorrelationContext ctx = propagator.extract(carrier("X-Correlation-ID", "ok",
        "X-Causation-ID", "two words"), GET, "evil\nid");
    assertThat(ctx).isEqualTo(CorrelationContext.of("ok", null, null));
    assertThat(log.warnings()).hasSize(2);
  }

  @Test
  void aThrowingGetterCountsAsUnreadableNotAsAnException() {
    CorrelationPropagator.Getter<Carrier> broken = (c, name) -> {
      throw new IllegalStateException("broken carrier");
    };
    CorrelationContext ctx = propagator.extract(carrier(), broken, "m");
    assertThat(ctx.correlationId()).isNotEmpty();
    Carrier c = carrier();
    Correlation.runWith("still-sent", () -> propagator.inject(c, broken, SET));
    assertThat(c.headers).containsEntry("X-Correlation-ID", "still-sent");
  }

  @Test
  void validatorTransformerAndTrustAreApplied() {
    CorrelationPropagator strict = CorrelationPropagator.create(CorrelationConfig.builder()
        .validator(IdValidator.strictUuid()).transformer(String::toLowerCase).build());
    assertThat(strict.extract(carrier("X-Correlation-ID", "3F2B6C1E-8D4A-4F7E-9B1C-2A5D6E7F8A9B"),
        GET, null).correlationId()).isEqualTo("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b");
    assertThat(strict.extract(carrier("X-Correlation-ID", "order-42"), GET, null).correlationId())
        .isNotEqualTo("order-42");

    CorrelationPropagator distrust = CorrelationPropagator.create(
        CorrelationConfig.builder().trustIncoming(false).build());
    assertThat(distrust.extract(carrier("X-Correlation-ID", "order-42"), GET, null)
        .correlationId()).isNotEqualTo("order-42");

    CorrelationPropagator throwing = CorrelationPropagator.create(CorrelationConfig.builder()
        .transformer(id -> {
          throw new IllegalStateException();
        }).build());
    assertThat(throwing.extract(carrier("X-Correlation-ID", "order-42"), GET, null)
        .correlationId()).isNotEqualTo("order-42");
  }

  @Test
  void headerNamesAreConfigurable() {
    CorrelationPropagator custom = CorrelationPropagator.create(CorrelationConfig.builder()
        .headerName("cid").causationHeaderName("cause").build());
    Carrier c = carrier();
    Correlation.runWith(CorrelationContext.of("f", "m", null), () -> custom.inject(c, GET, SET));
    assertThat(c.headers).containsOnlyKeys("cid", "cause");
    assertThat(custom.extract(c, GET, "n")).isEqualTo(CorrelationContext.of("f", "n", "m"));
  }

  @Test
  void followsTheProcessWideConfigWhenGivenNone() {
    CorrelationPropagator following = CorrelationPropagator.create();
    Correlation.configure(CorrelationConfig.builder().headerName("trace").build());
    Carrier c = carrier();
    Correlation.runWith("f", () -> following.inject(c, GET, SET));
    assertThat(c.headers).containsOnlyKeys("trace");
  }

  @Test
  void openWritesMdcWithThePropagatorsKeys() {
    CorrelationPropagator custom = CorrelationPropagator.create(
        CorrelationConfig.builder().mdcCorrelationKey("cid").build());
    try (Scope s = custom.open(CorrelationContext.of("f"))) {
      assertThat(org.slf4j.MDC.get("cid")).isEqualTo("f");
    }
    assertThat(org.slf4j.MDC.get("cid")).isNull();
  }

  @Test
  void aBrokenGeneratorFallsBackToARandomUuidOnSendAndReceive() {
    CorrelationPropagator broken = CorrelationPropagator.create(CorrelationConfig.builder()
        .generator(() -> {
          throw new IllegalStateException("no ids today");
        }).build());
    Carrier sent = carrier();
    broken.inject(sent, GET, SET);
    CorrelationContext received = broken.extract(carrier(), GET, "m-1");
    CorrelationPropagator empty = CorrelationPropagator.create(
        CorrelationConfig.builder().generator(() -> "").build());
    CorrelationContext alsoReceived = empty.extract(carrier(), GET, "m-2");

    assertThat((String) sent.headers.get("X-Correlation-ID")).matches("[0-9a-f-]{36}");
    assertThat(received.correlationId()).matches("[0-9a-f-]{36}");
    assertThat(alsoReceived.correlationId()).matches("[0-9a-f-]{36}");
    assertThat(log.warnings()).filteredOn(w -> w.startsWith("Bad ID from generator"))
        .as("one WARN per configuration per minute").hasSize(2);
  }

  @Test
  void reportsAnUnwritableMessageOnceAMinute() {
    propagator.reportUnwritable("a record for topic orders", new IllegalStateException("x"));
    propagator.reportUnwritable("a record for topic orders", new IllegalStateException("y"));
    assertThat(log.warnings()).singleElement().asString().isEqualTo(
        "Could not write correlation headers to a record for topic orders (the client refused"
            + " the write): (none); sent without them; cause: java.lang.IllegalStateException:"
            + " \"x\"");
  }
}
