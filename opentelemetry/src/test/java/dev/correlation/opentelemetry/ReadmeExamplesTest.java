package dev.correlation.opentelemetry;

import dev.correlation.testing.ReadmeSnippets;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {
  @Test
  void theOpenTelemetrySnippetOfTheReadmeIsCompiledInReadmeExamples() {
    ReadmeSnippets.assertAllIn("<!-- traces:start -->", "<!-- traces:end -->",
        "OpenTelemetryCorrelation", "src/test/java/dev/correlation/opentelemetry/ReadmeExamples.java");
  }
}
