package dev.correlation.rabbitmq;

import dev.correlation.testing.ReadmeSnippets;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {
  @Test
  void everyRabbitMqSnippetOfTheReadmeIsCompiledInReadmeExamples() {
    ReadmeSnippets.assertAllIn("<!-- rabbitmq:start -->", "<!-- rabbitmq:end -->",
        "src/test/java/dev/correlation/rabbitmq/ReadmeExamples.java");
  }
}
