package dev.correlation.contextpropagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import dev.correlation.testing.ThreadChecks;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CorrelationThreadLocalAccessorTest {
  private final CorrelationThreadLocalAccessor accessor = new CorrelationThreadLocalAccessor();
  private final ExecutorService other = Executors.newSingleThreadExecutor();
  private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

  @AfterEach
  void stop() throws Exception {
    ThreadChecks.assertPoolThreadsClean(other, 1);
    other.shutdownNow();
    assertThat(other.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void isFoundThroughServiceLoader() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .anySatisfy(a -> assertThat(a).isInstanceOf(CorrelationThreadLocalAccessor.class));
    assertThat(accessor.key()).isEqualTo("dev.correlation");
  }

  @Test
  void aSnapshotCarriesTheFlowAndOurMdcKeysButNotTheRestOfTheMdc() throws Exception {
    CorrelationContext flow = CorrelationContext.of("flow-1", "orders-0@7", "orders-0@3");
    ContextSnapshot snapshot;
    MDC.put("tenant", "acme");
    try (Scope scope = Correlation.open(flow)) {
      snapshot = snapshots.captureAll();
    } finally {
      MDC.remove("tenant");
    }
    String seen = other.submit(() -> {
      MDC.put("worker", "own");
      try {
        return snapshot.wrap(() -> Correlation.currentId() + " " + MDC.get("correlation_id") + " "
            + MDC.get("message_id") + " " + MDC.get("causation_id") + " " + MDC.get("tenant")
            + " " + MDC.get("worker")).call();
      } finally {
        MDC.remove("worker");
      }
    }).get(30, TimeUnit.SECONDS);
    assertThat(seen).isEqualTo("flow-1 flow-1 orders-0@7 orders-0@3 null own");
  }

  @Test
  void nestedSetsUnwindInOrder() {
    CorrelationContext a = CorrelationContext.of("a");
    CorrelationContext b = CorrelationContext.of("b");
    assertThat(accessor.getValue()).isNull();
    accessor.setValue(a);
    assertThat(accessor.getValue()).isEqualTo(a);
    accessor.setValue(b);
    assertThat(MDC.get("correlation_id")).isEqualTo("b");
    accessor.restore(a);
    assertThat(accessor.getValue()).isEqualTo(a);
    assertThat(MDC.get("correlation_id")).isEqualTo("a");
    accessor.restore();
    assertThat(accessor.getValue()).isNull();
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void setWithoutAValueHidesTheThreadsFlowUntilRestored() {
    try (Scope own = Correlation.open("own")) {
      accessor.setValue();
      assertThat(accessor.getValue()).isNull();
      assertThat(MDC.get("correlation_id")).isNull();
      accessor.restore(CorrelationContext.of("own"));
      assertThat(Correlation.currentId()).isEqualTo("own");
      assertThat(MDC.get("correlation_id")).isEqualTo("own");
    }
  }

  @Test
  void leavesOtherMdcKeysAlone() {
    MDC.put("tenant", "acme");
    try {
      accessor.setValue(CorrelationContext.of("flow"));
      assertThat(MDC.get("tenant")).isEqualTo("acme");
      accessor.restore();
      assertThat(MDC.get("tenant")).isEqualTo("acme");
    } finally {
      MDC.remove("tenant");
    }
  }

  @Test
  void aRestoreWithoutASetIsIgnored() {
    try (Scope own = Correlation.open("own")) {
      accessor.restore();
      accessor.restore(CorrelationContext.of("other"));
      assertThat(Correlation.currentId()).isEqualTo("own");
    }
  }

  @Test
  void aSnapshotWithoutOurKeyClearsTheFlowWhenAskedTo() throws Exception {
    ContextSnapshot empty = ContextSnapshotFactory.builder().clearMissing(true).build().captureAll();
    try (Scope own = Correlation.open("own")) {
      try (ContextSnapshot.Scope s = empty.setThreadLocals()) {
        assertThat(Correlation.currentId()).isNull();
        assertThat(MDC.get("correlation_id")).isNull();
      }
      assertThat(Correlation.currentId()).isEqualTo("own");
      assertThat(MDC.get("correlation_id")).isEqualTo("own");
    }
  }
}
