package dev.correlation.kafka;

import dev.correlation.testing.ReadmeSnippets;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {
  @Test
  void everyKafkaSnippetOfTheReadmeIsCompiledInReadmeExamples() {
    ReadmeSnippets.assertAllIn("<!-- kafka:start -->", "<!-- kafka:end -->",
        "src/test/java/dev/correlation/kafka/ReadmeExamples.java");
  }
}
