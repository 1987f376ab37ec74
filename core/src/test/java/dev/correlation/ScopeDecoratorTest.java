package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.testing.CleanThreadExtension;
import dev.correlation.testing.LogCapture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

@ExtendWith(CleanThreadExtension.class)
class ScopeDecoratorTest {
  private static final CorrelationPropagator.Getter<Map<String, Object>> GET = Map::get;

  /**
   * A user's decorator writing to a thread context of its own (the shape of a Log4j2
   * ThreadContext decorator): restores what it changed, removes what was absent.
   */
  static final class ThreadMap implements ScopeDecorator {
    static final ThreadLocal<Map<String, String>> VALUES = ThreadLocal.withInitial(HashMap::new);
    final List<String> calls = new ArrayList<>();

    @Override
    public Undo decorate(@Nullable CorrelationContext context) {
      String id = context == null ? null : context.correlationId();
      String tenant = context == null ? null : context.field("X-Tenant-ID");
      calls.add(id + "/" + tenant);
      Map<String, String> map = VALUES.get();
      String previousId = map.get("flow");
      String previousTenant = map.get("tenant");
      if (Objects.equals(previousId, id) && Objects.equals(previousTenant, tenant)) {
        return Undo.NONE;
      }
      put(map, "flow", id);
      put(map, "tenant", tenant);
      return () -> {
        put(map, "flow", previousId);
        put(map, "tenant", previousTenant);
      };
    }

    private static void put(Map<String, String> map, String key, @Nullable String value) {
      if (value == null) {
        map.remove(key);
      } else {
        map.put(key, value);
      }
    }
  }

  @AfterEach
  void restoreProcessWideConfig() {
    Correlation.configure(CorrelationConfig.defaults());
    ThreadMap.VALUES.remove();
  }

  @Test
  void userDecoratorWritesTheFlowAndRestoresTheOuterOneNotClear() {
    ThreadMap decorator = new ThreadMap();
    Correlation.configure(CorrelationConfig.builder().addScopeDecorator(decorator).build());
    try (Scope outer = Correlation.open("outer")) {
      assertThat(ThreadMap.VALUES.get()).containsEntry("flow", "outer");
      assertThat(MDC.get("correlation_id")).isEqualTo("outer"); // the default decorator still runs
      try (Scope inner = Correlation.open("inner")) {
        assertThat(ThreadMap.VALUES.get()).containsEntry("flow", "inner");
      }
      assertThat(ThreadMap.VALUES.get()).containsEntry("flow", "outer");
    }
    assertThat(ThreadMap.VALUES.get()).isEmpty();
    assertThat(decorator.calls).containsExactly("outer/null", "inner/null");
  }

  @Test
  void capturedHeaderReachesTheMdcThroughMdcFieldAndIsRemovedAfter() {
    CorrelationConfig config = CorrelationConfig.builder()
        .captureHeaders("X-Tenant-ID")
        .addScopeDecorator(ScopeDecorator.mdcField("X-Tenant-ID", "tenant"))
        .build();
    CorrelationPropagator propagator = CorrelationPropagator.create(config);
    CorrelationContext ctx = propagator.extract(
        Map.of("X-Correlation-ID", "flow-1", "X-Tenant-ID", "acme"), GET, "q@1");
    assertThat(ctx.field("X-Tenant-ID")).isEqualTo("acme");
    assertThat(ctx.fields()).containsExactly(Map.entry("X-Tenant-ID", "acme"));
    MDC.put("tenant", "set-by-app");
    try {
      try (Scope scope = Correlation.open(ctx)) { // the context remembers the config that read it
        assertThat(MDC.get("tenant")).isEqualTo("acme");
        assertThat(MDC.get("correlation_id")).isEqualTo("flow-1");
      }
      assertThat(MDC.get("tenant")).isEqualTo("set-by-app");
    } finally {
      MDC.remove("tenant");
    }
  }

  @Test
  void badCapturedHeaderIsDroppedWithAWarnAndTheFlowIsKept() {
    CorrelationConfig config = CorrelationConfig.builder().captureHeaders("X-Tenant-ID").build();
    try (LogCapture log = new LogCapture(CorrelationPropagator.class)) {
      CorrelationContext ctx = CorrelationPropagator.create(config).extract(
          Map.of("X-Correlation-ID", "flow-1", "X-Tenant-ID", "acme\nFAKE LINE"), GET, null);
      assertThat(ctx.correlationId()).isEqualTo("flow-1");
      assertThat(ctx.field("X-Tenant-ID")).isNull();
      assertThat(ctx.fields()).isEmpty();
      assertThat(log.warnings()).singleElement().asString()
          .contains("X-Tenant-ID").doesNotContain("\n");
    }
  }

  @Test
  void withMdcOffOnlyTheDecoratorsWrite() {
    ThreadMap decorator = new ThreadMap();
    Correlation.configure(CorrelationConfig.builder().mdcEnabled(false)
        .addScopeDecorator(decorator).build());
    try (Scope scope = Correlation.open("flow-2")) {
      assertThat(ThreadMap.VALUES.get()).containsEntry("flow", "flow-2");
      assertThat(MDC.get("correlation_id")).isNull();
    }
    assertThat(ThreadMap.VALUES.get()).isEmpty();
  }

  @Test
  void outOfOrderCloseUndoesEachDecorationOnceInTheRightOrder() {
    ThreadMap decorator = new ThreadMap();
    Correlation.configure(CorrelationConfig.builder().addScopeDecorator(decorator).build());
    ThreadMap.VALUES.get().put("flow", "app");
    Scope a = Correlation.open("a");
    Scope b = Correlation.open("b");
    a.close();
    assertThat(ThreadMap.VALUES.get()).containsEntry("flow", "b");
    b.close();
    assertThat(ThreadMap.VALUES.get()).containsExactly(Map.entry("flow", "app"));
    b.close();
    assertThat(ThreadMap.VALUES.get()).containsExactly(Map.entry("flow", "app"));
  }

  @Test
  void wrappedTaskRunsTheDecoratorsOnThePoolThreadAndUndoesThem() throws Exception {
    ThreadMap decorator = new ThreadMap();
    Correlation.configure(CorrelationConfig.builder().addScopeDecorator(decorator).build());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Map<String, String> seen = new HashMap<>();
      try (Scope scope = Correlation.open("flow-3")) {
        Correlation.wrap(pool).submit(() -> seen.putAll(ThreadMap.VALUES.get())).get(30,
            TimeUnit.SECONDS);
      }
      assertThat(seen).containsEntry("flow", "flow-3");
      Map<String, String> after = pool.submit(() -> new HashMap<>(ThreadMap.VALUES.get()))
          .get(30, TimeUnit.SECONDS);
      assertThat(after).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void throwingDecoratorIsSkippedWithAWarnAndTheScopeStillWorks() {
    ScopeDecorator broken = context -> {
      throw new IllegalStateException("boom");
    };
    Correlation.configure(CorrelationConfig.builder().addScopeDecorator(broken).build());
    try (LogCapture log = new LogCapture(CorrelationPropagator.class)) {
      try (Scope scope = Correlation.open("flow-4")) {
        assertThat(Correlation.currentId()).isEqualTo("flow-4");
        assertThat(MDC.get("correlation_id")).isEqualTo("flow-4");
      }
      assertThat(log.warnings()).singleElement().asString().contains("scope decorator threw");
    }
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void configsWithEqualDecoratorsAndCapturesAreEqual() {
    CorrelationConfig a = CorrelationConfig.builder().captureHeaders("X-Tenant-ID")
        .addScopeDecorator(ScopeDecorator.mdcField("X-Tenant-ID", "tenant")).build();
    CorrelationConfig b = CorrelationConfig.builder().captureHeaders("X-Tenant-ID")
        .addScopeDecorator(ScopeDecorator.mdcField("X-Tenant-ID", "tenant")).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(CorrelationConfig.defaults());
    assertThat(a.toBuilder().build()).isEqualTo(a);
    assertThat(a.toString()).contains("X-Tenant-ID");
  }

  @Test
  void captureHeadersRejectsOurOwnHeaderNames() {
    assertThatThrownBy(() -> CorrelationConfig.builder().captureHeaders("X-Causation-ID").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-Causation-ID");
    assertThatThrownBy(() -> CorrelationConfig.builder().captureHeaders("bad name"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
