package dev.correlation;

import dev.correlation.testing.ReadmeSnippets;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {
  @Test
  void everyCoreSnippetOfTheReadmeIsCompiledInReadmeExamples() {
    ReadmeSnippets.assertAllIn("## Quick start: core", "<!-- kafka:start -->",
        "src/test/java/dev/correlation/ReadmeExamples.java");
  }
}
