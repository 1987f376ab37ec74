package dev.correlation.spring;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Makes the {@link CorrelationConfig} of the application: the one the application defines as a
 * bean, or else the one its {@code correlation.*} properties describe. That configuration also
 * becomes the process-wide {@link Correlation#config()} while the context runs (the Kafka producer
 * interceptor and {@code Correlation.open} read it there), and the previous one comes back when
 * the context closes.
 *
 * <p>Registered in {@code META-INF/spring/...AutoConfiguration.imports}; applications do not name
 * it.
 */
@AutoConfiguration
@EnableConfigurationProperties(CorrelationProperties.class)
public final class CorrelationAutoConfiguration {
  /** For Spring. */
  public CorrelationAutoConfiguration() {}

  /**
   * The configuration of {@code correlation.*}.
   *
   * @throws IllegalArgumentException naming the key, for a value the library does not allow; the
   *     context then fails to start
   */
  @Bean
  @ConditionalOnMissingBean
  public CorrelationConfig correlationConfig(CorrelationProperties properties,
      Environment environment) {
    Map<String, String> map = properties.toMap();
    // correlation.baggage is a value and the prefix of correlation.baggage.member: no bean
    // property can be both, so these two are read from the environment as they are
    for (String key : new String[] {CorrelationConfig.BAGGAGE, CorrelationConfig.BAGGAGE_MEMBER}) {
      String value = environment.getProperty(key);
      if (value != null) {
        map.put(key, value);
      }
    }
    return CorrelationConfig.fromMap(map);
  }

  /** Installs {@code config} as the process-wide configuration while the context runs. */
  @Bean
  ProcessWideConfig correlationProcessWideConfig(CorrelationConfig config) {
    return new ProcessWideConfig(config);
  }
}
