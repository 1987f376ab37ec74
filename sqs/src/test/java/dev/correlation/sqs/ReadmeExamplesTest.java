package dev.correlation.sqs;

import dev.correlation.testing.ReadmeSnippets;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {
  @Test
  void everySqsSnippetOfTheReadmeIsCompiledInReadmeExamples() {
    ReadmeSnippets.assertAllIn("<!-- sqs:start -->", "<!-- sqs:end -->",
        "src/test/java/dev/correlation/sqs/ReadmeExamples.java");
  }
}
