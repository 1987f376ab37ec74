package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ScopeTest {

  @Test
  void opensAndRestoresNothingAtTheEdge() {
    assertThat(Correlation.currentId()).isNull();
    try (Scope scope = Correlation.open("order-42")) {
      assertThat(Correlation.currentId()).isEqualTo("order-42");
      assertThat(MDC.get("correlation_id")).isEqualTo("order-42");
      assertThat(MDC.get("message_id")).isNull();
    }
    assertThat(Correlation.currentId()).isNull();
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void nestedScopesRestoreTheOuterOneNotClear() {
    CorrelationContext outer = CorrelationContext.of("outer", "q@1", null);
    CorrelationContext inner = CorrelationContext.of("inner", "q@2", "q@1");
    try (Scope a = Correlation.open(outer)) {
      try (Scope b = Correlation.open(inner)) {
        assertThat(Correlation.current()).contains(inner);
        assertThat(MDC.get("correlation_id")).isEqualTo("inner");
        assertThat(MDC.get("message_id")).isEqualTo("q@2");
        assertThat(MDC.get("causation_id")).isEqualTo("q@1");
      }
      assertThat(Correlation.current()).contains(outer);
      assertThat(MDC.get("correlation_id")).isEqualTo("outer");
      assertThat(MDC.get("message_id")).isEqualTo("q@1");
      assertThat(MDC.get("causation_id")).isNull();
    }
  }

  @Test
  void restoresMdcValuesSetByTheApplication() {
    MDC.put("correlation_id", "set-by-app");
    MDC.put("tenant", "acme");
    try {
      try (Scope scope = Correlation.open("flow-1")) {
        assertThat(MDC.get("correlation_id")).isEqualTo("flow-1");
      }
      assertThat(MDC.get("correlation_id")).isEqualTo("set-by-app");
      assertThat(MDC.get("tenant")).isEqualTo("acme");
    } finally {
      MDC.remove("correlation_id");
      MDC.remove("tenant");
    }
  }

  @Test
  void openNoneHidesTheFlowAndOurMdcKeysUntilClosed() {
    MDC.put("tenant", "acme");
    try (Scope flow = Correlation.open(CorrelationContext.of("flow", "q@1", "q@0"))) {
      try (Scope none = Correlation.openNone()) {
        assertThat(Correlation.current()).isEmpty();
        assertThat(MDC.get("correlation_id")).isNull();
        assertThat(MDC.get("message_id")).isNull();
        assertThat(MDC.get("causation_id")).isNull();
        assertThat(MDC.get("tenant")).isEqualTo("acme");
      }
      assertThat(Correlation.currentId()).isEqualTo("flow");
      assertThat(MDC.get("message_id")).isEqualTo("q@1");
      assertThat(MDC.get("causation_id")).isEqualTo("q@0");
    } finally {
      MDC.remove("tenant");
    }
    try (Scope none = Correlation.openNone()) {
      assertThat(Correlation.current()).isEmpty();
    }
  }

  @Test
  void closeIsIdempotent() {
    try (Scope outer = Correlation.open("outer")) {
      Scope inner = Correlation.open("inner");
      inner.close();
      inner.close();
      assertThat(Correlation.currentId()).isEqualTo("outer");
      assertThat(MDC.get("correlation_id")).isEqualTo("outer");
    }
  }

  @Test
  void outOfOrderCloseTakesEffectWhenTheInnerScopeCloses() {
    Scope a = Correlation.open("a");
    Scope b = Correlation.open("b");
    a.close(); // wrong order: b is still open and stays current
    assertThat(Correlation.currentId()).isEqualTo("b");
    assertThat(MDC.get("correlation_id")).isEqualTo("b");
    b.close(); // now both are gone, not "a" resurrected
    assertThat(Correlation.currentId()).isNull();
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void outOfOrderCloseInTheMiddleOfThreeScopes() {
    try (Scope a = Correlation.open("a")) {
      Scope b = Correlation.open("b");
      Scope c = Correlation.open("c");
      b.close();
      assertThat(Correlation.currentId()).isEqualTo("c");
      c.close();
      assertThat(Correlation.currentId()).isEqualTo("a");
      assertThat(MDC.get("correlation_id")).isEqualTo("a");
    }
  }

  @Test
  void closeOnAForeignThreadLeavesThatThreadUntouched() throws Exception {
    Scope scope = Correlation.open("mine");
    AtomicReference<String> seenThere = new AtomicReference<>("unset");
    CompletableFuture.runAsync(() -> {
      try (Scope theirs = Correlation.open("theirs")) {
        scope.close(); // wrong thread
        seenThere.set(Correlation.currentId() + "/" + MDC.get("correlation_id"));
      }
    }).get();
    assertThat(seenThere.get()).isEqualTo("theirs/theirs");
    // the owner sees the close at its next read, and its MDC is restored then
    assertThat(Correlation.currentId()).isNull();
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void runCallSupplyRestoreAndPassExceptionsUnchanged() throws Exception {
    Correlation.runWith("r", () -> assertThat(Correlation.currentId()).isEqualTo("r"));
    assertThat(Correlation.callWith("c", Correlation::currentId)).isEqualTo("c");
    assertThat(Correlation.supplyWith(CorrelationContext.of("s"), Correlation::currentId))
        .isEqualTo("s");
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> Correlation.runWith("x", () -> {
      throw boom;
    })).isSameAs(boom);
    Exception checked = new java.io.IOException("io");
    assertThatThrownBy(() -> Correlation.callWith("y", () -> {
      throw checked;
    })).isSameAs(checked);
    assertThat(Correlation.currentId()).isNull();
  }

  @Test
  void mdcCanBeDisabledAndKeysRenamed() {
    Correlation.configure(CorrelationConfig.builder().mdcEnabled(false).build());
    Correlation.runWith("quiet", () -> {
      assertThat(Correlation.currentId()).isEqualTo("quiet");
      assertThat(MDC.get("correlation_id")).isNull();
    });
    Correlation.configure(CorrelationConfig.builder().mdcCorrelationKey("traceId").build());
    Correlation.runWith("renamed", () -> {
      assertThat(MDC.get("traceId")).isEqualTo("renamed");
      assertThat(MDC.get("correlation_id")).isNull();
    });
    assertThat(MDC.get("traceId")).isNull();
  }

  @Test
  void rejectsNullAndEmptyIdsAtTheApi() {
    assertThatThrownBy(() -> Correlation.open("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CorrelationContext.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("correlationId == null");
  }

  @Test
  void contextIsAValue() {
    assertThat(CorrelationContext.of("a", "m", "c")).isEqualTo(CorrelationContext.of("a", "m", "c"))
        .hasSameHashCodeAs(CorrelationContext.of("a", "m", "c"))
        .isNotEqualTo(CorrelationContext.of("a", "m", null));
    assertThat(CorrelationContext.of("a", "m", "c").toString()).contains("a", "m", "c");
  }
}
