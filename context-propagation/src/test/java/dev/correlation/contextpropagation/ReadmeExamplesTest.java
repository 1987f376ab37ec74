package dev.correlation.contextpropagation;

import dev.correlation.testing.ReadmeSnippets;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {
  @Test
  void theReactorSnippetOfTheReadmeIsCompiledInReadmeExamples() {
    ReadmeSnippets.assertAllIn("<!-- traces:start -->", "<!-- traces:end -->", "Hooks.",
        "src/test/java/dev/correlation/contextpropagation/ReadmeExamples.java");
  }
}
