package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.correlation.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The send and receive rules of issue "Wire rules" and the edge and scope rules built on them. */
class WireRulesTest {
  /** A map carrier whose values can be marked as written for an explicit flow. */
  static final class Carrier {
    final Map<String, Object> headers = new LinkedHashMap<>();

    Carrier with(String name, Object value) {
      headers.put(name, value);
      return this;
    }
  }

  /** What an explicit write leaves: the value wrapped, as a module's own value type would. */
  record Pinned(String value) {
    @Override
    public String toString() {
      return value;
    }
  }

  static final CorrelationPropagator.Getter<Carrier> GET = new CorrelationPropagator.Getter<>() {
    @Override
    public @Nullable Object get(Carrier carrier, String name) {
      Object value = carrier.headers.get(name);
      return value instanceof Pinned ? ((Pinned) value).value() : value;
    }

    @Override
    public Iterable<String> keys(Carrier carrier) {
      return carrier.headers.keySet();
    }

    @Override
    public boolean isExplicit(Carrier carrier, String name) {
      return carrier.headers.get(name) instanceof Pinned;
    }
  };
  static final CorrelationPropagator.Setter<Carrier> SET = (c, name, value) -> {
    c.headers.put(name, value);
    return true;
  };
  static final CorrelationPropagator.Setter<Carrier> PIN = (c, name, value) -> {
    c.headers.put(name, new Pinned(value));
    return true;
  };

  private final CorrelationPropagator propagator = CorrelationPropagator.create();
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void detach() {
    log.close();
  }

  private static String header(Carrier c) {
    return String.valueOf(GET.get(c, "X-Correlation-ID"));
  }

  // --- send side ---

  @Test
  void insideAScopeTheCurrentFlowReplacesAForwardedHeader() {
    Carrier forwarded = new Carrier().with("X-Correlation-ID", "raw-incoming-value")
        .with("X-Causation-ID", "stale");
    Correlation.runWith(CorrelationContext.of("flow-a", "orders-0@3", null),
        () -> propagator.inject(forwarded, GET, SET));
    assertThat(forwarded.headers).containsEntry("X-Correlation-ID", "flow-a")
        .containsEntry("X-Causation-ID", "orders-0@3");
  }

  @Test
  void anUntrustedIncomingValueIsNotForwarded() {
    CorrelationPropagator untrusting = CorrelationPropagator.create(
        CorrelationConfig.builder().trustIncoming(false).build());
    Carrier incoming = new Carrier().with("X-Correlation-ID", "outsider");
    CorrelationContext flow = untrusting.extract(incoming, GET, "q@1");
    Carrier forwarded = new Carrier().with("X-Correlation-ID", "outsider");
    try (Scope scope = untrusting.open(flow)) {
      untrusting.inject(forwarded, GET, SET);
    }
    assertThat(flow.correlationId()).isNotEqualTo("outsider");
    assertThat(header(forwarded)).isEqualTo(flow.correlationId());
  }

  @Test
  void aBadForwardedHeaderDoesNotSplitTheFlow() {
    Carrier incoming = new Carrier().with("X-Correlation-ID", "bad\nvalue");
    CorrelationContext hop = propagator.extract(incoming, GET, "orders-0@1");
    Carrier forwarded = new Carrier().with("X-Correlation-ID", "bad\nvalue");
    try (Scope scope = propagator.open(hop)) {
      propagator.inject(forwarded, GET, SET);
    }
    CorrelationContext next = propagator.extract(forwarded, GET, "orders-0@2");
    assertThat(next.correlationId()).isEqualTo(hop.correlationId());
  }

  @Test
  void outsideAnyScopeAnInvalidCallerHeaderIsReplacedWithOneWarn() {
    Carrier c1 = new Carrier().with("X-Correlation-ID", "has space");
    Carrier c2 = new Carrier().with("X-Correlation-ID", "has\rcr");
    propagator.inject(c1, GET, SET);
    propagator.inject(c2, GET, SET);
    assertThat(header(c1)).matches("[0-9a-f-]{36}");
    assertThat(header(c2)).matches("[0-9a-f-]{36}");
    assertThat(log.warnings()).filteredOn(w -> w.startsWith("Bad correlation ID in outgoing"))
        .hasSize(2) // two causes (rejected, control character), one WARN each
        .allSatisfy(w -> assertThat(w).doesNotContain("\r").contains("replaced by fresh ID"));
  }

  @Test
  void anExplicitFlowIsWrittenAndThenLeftAloneByTheImplicitRules() {
    Carrier relayed = new Carrier().with("X-Correlation-ID", "whatever-was-there");
    CorrelationContext other = CorrelationContext.of("flow-b", "payments-1@9", null);
    propagator.injectFlow(relayed, GET, PIN, other);
    Correlation.runWith(CorrelationContext.of("flow-a", "orders-0@1", null),
        () -> propagator.inject(relayed, GET, SET));
    assertThat(header(relayed)).isEqualTo("flow-b");
    assertThat(String.valueOf(relayed.headers.get("X-Causation-ID"))).isEqualTo("payments-1@9");
  }

  @Test
  void aSendOutsideAnyFlowIsVisibleAtDebug() {
    Logger newFlows = (Logger) LoggerFactory.getLogger(CorrelationPropagator.NEW_FLOW_LOGGER);
    Level before = newFlows.getLevel();
    newFlows.setLevel(Level.DEBUG);
    try (LogCapture sends = new LogCapture(CorrelationPropagator.NEW_FLOW_LOGGER)) {
      Carrier c = new Carrier();
      propagator.inject(c, GET, SET);
      Correlation.runWith("in-a-flow", () -> propagator.inject(new Carrier(), GET, SET));
      assertThat(sends.events()).singleElement().satisfies(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(e.getFormattedMessage()).contains(header(c));
      });
    } finally {
      newFlows.setLevel(before);
    }
  }

  @Test
  void everyGeneratorCallGoesThroughTheGuardedPath() {
    Correlation.configure(CorrelationConfig.builder().generator(() -> {
      throw new IllegalStateException("no ids\nINFO forged");
    }).build());
    String id = Correlation.newId();
    String fromPropagator = CorrelationPropagator.create().newId();
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(fromPropagator).matches("[0-9a-f-]{36}");
    assertThat(log.warnings()).singleElement().asString()
        .contains("using random UUID").contains("no ids\\nINFO forged").doesNotContain("\n");
  }

  // --- receive side ---

  @Test
  void aliasesAreTriedInOrderAfterTheMainName() {
    CorrelationPropagator aliased = CorrelationPropagator.create(CorrelationConfig.fromMap(Map.of(
        "correlation.header.aliases", "x-correlation-id, CORRELATION_ID")));
    assertThat(aliased.extract(new Carrier().with("CORRELATION_ID", "celery-1")
        .with("x-correlation-id", "http-1"), GET, null).correlationId()).isEqualTo("http-1");
    assertThat(aliased.extract(new Carrier().with("CORRELATION_ID", "celery-1"), GET, null)
        .correlationId()).isEqualTo("celery-1");
    assertThat(aliased.extract(new Carrier().with("X-Correlation-ID", "main")
        .with("CORRELATION_ID", "celery-1"), GET, null).correlationId()).isEqualTo("main");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void aBadAliasValueIsReplacedAndNamedInTheWarn() {
    CorrelationPropagator aliased = CorrelationPropagator.create(
        CorrelationConfig.builder().headerAliases(List.of("CORRELATION_ID")).build());
    CorrelationContext flow = aliased.extract(new Carrier().with("CORRELATION_ID", "a b"), GET,
        null);
    assertThat(flow.correlationId()).matches("[0-9a-f-]{36}");
    assertThat(log.warnings()).singleElement().asString().contains("header CORRELATION_ID");
  }

  @Test
  void namesCanBeMatchedIgnoringCase() {
    CorrelationPropagator relaxed = CorrelationPropagator.create(CorrelationConfig.fromMap(Map.of(
        "correlation.header.ignore-case", "true")));
    assertThat(relaxed.extract(new Carrier().with("x-correlation-id", "lower"), GET, null)
        .correlationId()).isEqualTo("lower");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void aMissingHeaderWithACaseVariantNamesTheVariant() {
    CorrelationContext flow = propagator.extract(
        new Carrier().with("x-correlation-id\n", "v").with("x-correlation-ID", "lower"), GET,
        null);
    assertThat(flow.correlationId()).matches("[0-9a-f-]{36}");
    assertThat(log.warnings()).singleElement().asString().contains("missing")
        .contains("\"x-correlation-ID\"").contains("correlation.header.aliases");
  }

  @Test
  void aNestedListIsAValueOfTheWrongTypeAndDoesNotRecurse() {
    Object nested = "abc".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 10_000; i++) {
      nested = List.of(nested);
    }
    CorrelationContext deep = propagator.extract(new Carrier().with("X-Correlation-ID", nested),
        GET, null);
    CorrelationContext shallow = propagator.extract(new Carrier().with("X-Correlation-ID",
        List.of(List.of("abc"))), GET, null);
    assertThat(deep.correlationId()).isNotEqualTo("abc");
    assertThat(shallow.correlationId()).isNotEqualTo("abc");
    assertThat(log.warnings()).singleElement().asString().contains("unsupported type");
  }

  @Test
  void outsideValuesInLibraryLinesAreEscaped() {
    propagator.reportUnwritable("a record for topic t\nINFO forged", new IllegalStateException(
        "client says\r\nINFO forged too"));
    assertThat(log.warnings()).singleElement().asString()
        .doesNotContain("\n").doesNotContain("\r").contains("t\\nINFO forged")
        .contains("client says\\r\\nINFO forged too");
  }

  // --- the edge ---

  @Test
  void continueOrStartChecksTheIdLikeABrokerReceive() {
    Correlation.configure(CorrelationConfig.builder().build()); // a WARN window of its own
    try (Scope scope = Correlation.continueOrStart("valid-123")) {
      assertThat(Correlation.currentId()).isEqualTo("valid-123");
    }
    try (Scope scope = Correlation.continueOrStart("evil\r\nSet-Cookie: x")) {
      assertThat(Correlation.currentId()).matches("[0-9a-f-]{36}");
      assertThat(MDC.get("correlation_id")).isEqualTo(Correlation.currentId());
    }
    try (Scope scope = Correlation.continueOrStart(null)) {
      assertThat(Correlation.currentId()).matches("[0-9a-f-]{36}");
    }
    assertThat(log.warnings()).singleElement().asString().contains("control character")
        .doesNotContain("\r").doesNotContain("\n");
  }

  @Test
  void anEdgeRequestWithoutAnIdStartsAFlowWithoutAWarnButABadOneWarns() {
    CorrelationPropagator propagator = CorrelationPropagator.create(CorrelationConfig.builder()
        .build()); // a WARN window of its own
    CorrelationContext none = propagator.edgeContext(new Carrier().with("other", "x"), GET);
    CorrelationContext aliased = CorrelationPropagator.create(CorrelationConfig.builder()
        .headerAliases(List.of("X-Request-ID")).build())
        .edgeContext(new Carrier().with("X-Request-ID", "req-1"), GET);
    CorrelationContext bad = propagator.edgeContext(
        new Carrier().with("X-Correlation-ID", "a b"), GET);
    assertThat(none.correlationId()).matches("[0-9a-f-]{36}");
    assertThat(none.messageId()).isNull();
    assertThat(aliased.correlationId()).isEqualTo("req-1");
    assertThat(bad.correlationId()).matches("[0-9a-f-]{36}");
    assertThat(log.warnings()).singleElement().asString().contains("rejected");
  }

  @Test
  void continueOrStartAppliesTheTransformerAndTrust() {
    Correlation.configure(CorrelationConfig.builder().transformer(String::toLowerCase).build());
    try (Scope scope = Correlation.continueOrStart("ABC")) {
      assertThat(Correlation.currentId()).isEqualTo("abc");
    }
    Correlation.configure(CorrelationConfig.builder().trustIncoming(false).build());
    try (Scope scope = Correlation.continueOrStart("abc")) {
      assertThat(Correlation.currentId()).isNotEqualTo("abc");
    }
  }

  // --- scopes ---

  @Test
  void aContextOpensWithTheMdcKeysOfTheConfigurationThatReadIt() {
    CorrelationPropagator own = CorrelationPropagator.create(CorrelationConfig.builder()
        .mdcCorrelationKey("cid").mdcMessageKey("mid").mdcCausationKey("caus").build());
    CorrelationContext flow = own.extract(new Carrier().with("X-Correlation-ID", "f1"), GET,
        "orders-0@1");
    Correlation.runWith(flow, () -> {
      assertThat(MDC.get("cid")).isEqualTo("f1");
      assertThat(MDC.get("mid")).isEqualTo("orders-0@1");
      assertThat(MDC.get("correlation_id")).isNull();
    });
    assertThat(MDC.get("cid")).isNull();
    assertThat(CorrelationContext.of("f1", "orders-0@1", null)).isEqualTo(flow);
  }

  @Test
  void aWrappedTaskWithoutAFlowHidesInheritedMdcKeysAndRestoresThem() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // What an inheriting MDC adapter leaves in a thread created inside flow A.
      pool.submit(() -> MDC.put("correlation_id", "flow-a")).get();
      Runnable task = Correlation.wrap(() -> { });
      AtomicReference<String> seen = new AtomicReference<>("unset");
      pool.submit(Correlation.wrap(() -> seen.set(String.valueOf(MDC.get("correlation_id")))))
          .get();
      pool.submit(task).get();
      assertThat(seen.get()).isEqualTo("null");
      assertThat(pool.submit(() -> MDC.get("correlation_id")).get()).isEqualTo("flow-a");
      pool.submit(() -> MDC.remove("correlation_id")).get();
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aScopeClosedOnAnotherThreadIsNotCurrentAtTheOwnersNextRead() throws Exception {
    int threads = 8;
    int rounds = 2_000;
    ExecutorService owners = Executors.newFixedThreadPool(threads);
    ExecutorService closers = Executors.newFixedThreadPool(threads);
    List<String> stale = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(owners.submit(() -> {
          for (int i = 0; i < rounds; i++) {
            Scope scope = Correlation.open("f" + i);
            try {
              closers.submit(scope::close).get();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            if (Correlation.currentId() != null || MDC.get("correlation_id") != null) {
              stale.add(Correlation.currentId());
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      owners.shutdownNow();
      closers.shutdownNow();
    }
    assertThat(stale).isEmpty();
  }

  // --- the error hook ---

  @Test
  void theErrorHookRunsInsideTheScopeAndTheExceptionPassesUnchanged() {
    AtomicReference<String> idInHook = new AtomicReference<>();
    IllegalStateException boom = new IllegalStateException("boom");
    CorrelationContext flow = CorrelationContext.of("failing-flow", "orders-0@5", null);
    assertThatThrownBy(() -> propagator.handle("message", flow, m -> {
      throw boom;
    }, (m, e) -> idInHook.set(MDC.get("correlation_id") + "/" + m + "/" + e.getMessage())))
        .isSameAs(boom);
    assertThat(idInHook.get()).isEqualTo("failing-flow/message/boom");
  }

  @Test
  void aThrowingHookDoesNotReplaceTheHandlersException() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> propagator.handle("m", CorrelationContext.of("f"), m -> {
      throw boom;
    }, (m, e) -> {
      throw new IllegalArgumentException("hook broke");
    })).isSameAs(boom).hasNoSuppressedExceptions();
    assertThat(log.warnings()).singleElement().asString().contains("hook broke");
  }

  @Test
  void runErrorHookOnItsOwnSwallowsAThrowingHookWithAWarn() {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicReference<String> seen = new AtomicReference<>();
    // its own config: the WARN is rate-limited per config, and other tests warn on the shared one
    CorrelationPropagator own = CorrelationPropagator.create(CorrelationConfig.builder().build());
    own.runErrorHook((m, e) -> seen.set(m + "/" + e.getMessage()), "m", boom);
    own.runErrorHook((m, e) -> {
      throw new IllegalArgumentException("hook broke");
    }, "m", boom);

    assertThat(seen.get()).isEqualTo("m/boom");
    assertThat(log.warnings()).singleElement().asString().contains("hook broke");
    assertThatThrownBy(() -> own.runErrorHook(null, "m", boom))
        .isInstanceOf(NullPointerException.class).hasMessage("hook == null");
  }

  @Test
  void checkedExceptionsPassThroughHandleUnchanged() {
    java.io.IOException io = new java.io.IOException("disk");
    assertThatThrownBy(() -> propagator.<String, java.io.IOException>handle("m",
        CorrelationContext.of("f"), m -> {
          throw io;
        }, null)).isSameAs(io);
  }
}
