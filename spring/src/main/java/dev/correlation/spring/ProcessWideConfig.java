package dev.correlation.spring;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import org.springframework.beans.factory.DisposableBean;

/**
 * Installs the context's configuration as {@link Correlation#config()} on creation and puts the
 * previous one back when the context closes, unless something else replaced it meanwhile.
 */
final class ProcessWideConfig implements DisposableBean {
  private final CorrelationConfig installed;
  private final CorrelationConfig previous;

  ProcessWideConfig(CorrelationConfig config) {
    previous = Correlation.config();
    installed = config;
    Correlation.configure(config);
  }

  @Override
  public void destroy() {
    if (Correlation.config() == installed) {
      Correlation.configure(previous);
    }
  }

  @Override
  public String toString() {
    return "ProcessWideConfig{" + installed + '}';
  }
}
