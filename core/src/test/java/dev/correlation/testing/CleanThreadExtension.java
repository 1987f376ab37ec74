package dev.correlation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.MDC;

/**
 * Registered for every test (service loader): the test thread must end as clean as it started, no
 * open context and none of the library's MDC keys, and the process-wide config is reset.
 */
public final class CleanThreadExtension implements BeforeEachCallback, AfterEachCallback {
  @Override
  public void beforeEach(ExtensionContext context) {
    assertClean("before " + context.getDisplayName());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      assertClean("after " + context.getDisplayName());
    } finally {
      Correlation.configure(CorrelationConfig.defaults());
    }
  }

  public static void assertClean(String when) {
    assertThat(Correlation.current()).as("context " + when).isEmpty();
    assertThat(MDC.get("correlation_id")).as("MDC correlation_id " + when).isNull();
    assertThat(MDC.get("message_id")).as("MDC message_id " + when).isNull();
    assertThat(MDC.get("causation_id")).as("MDC causation_id " + when).isNull();
  }
}
