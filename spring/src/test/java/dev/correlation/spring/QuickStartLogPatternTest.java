package dev.correlation.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The README's quick start, step 2: one Boot property puts the ID on Boot's own log lines. */
@ExtendWith(OutputCaptureExtension.class)
class QuickStartLogPatternTest {
  @Test
  void correlationPatternPropertyPutsTheIdIntoBootsDefaultLogLines(CapturedOutput output) {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("logging.pattern.correlation=[%X{correlation_id}] ",
            // Boot's own default configuration, as an application without a logback file gets
            // it (the test class path has core's logback-test.xml, which Boot would prefer)
            "logging.config=classpath:boot-defaults-logback.xml",
            "spring.main.banner-mode=off")
        .run()) {
      Correlation.runWith("flow-quick", () ->
          LoggerFactory.getLogger("dev.correlation.quickstart").info("order handled"));
    }
    assertThat(Arrays.stream(output.getOut().split("\\R")))
        .anyMatch(line -> line.contains("[flow-quick] ") && line.endsWith("order handled"));
  }

  @SpringBootConfiguration
  @ImportAutoConfiguration(CorrelationAutoConfiguration.class)
  static class App {}
}
