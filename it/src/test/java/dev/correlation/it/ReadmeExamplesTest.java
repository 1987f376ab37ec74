package dev.correlation.it;

import dev.correlation.testing.ReadmeSnippets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {
  private static final Path ROOT = ReadmeSnippets.readme().getParent();

  @Test
  void everyJavaSnippetOfTheLibrarySectionsIsCompiledInAReadmeExamplesSource() {
    List<Path> examples = List.of(
        ROOT.resolve("core/src/test/java/dev/correlation/ReadmeExamples.java"),
        ROOT.resolve("kafka/src/test/java/dev/correlation/kafka/ReadmeExamples.java"),
        ROOT.resolve("rabbitmq/src/test/java/dev/correlation/rabbitmq/ReadmeExamples.java"),
        ROOT.resolve("sqs/src/test/java/dev/correlation/sqs/ReadmeExamples.java"),
        ROOT.resolve("opentelemetry/src/test/java/dev/correlation/opentelemetry/ReadmeExamples.java"),
        ROOT.resolve("context-propagation/src/test/java/dev/correlation/contextpropagation/"
            + "ReadmeExamples.java"),
        ROOT.resolve("kafka-streams/src/test/java/dev/correlation/kafka/streams/"
            + "ReadmeExamples.java"),
        ROOT.resolve("spring/src/test/java/dev/correlation/spring/ReadmeExamples.java"),
        ROOT.resolve("spring/src/test/java/dev/correlation/spring/amqp/ReadmeExamples.java"),
        ROOT.resolve("spring/src/test/java/dev/correlation/spring/sqs/ReadmeExamples.java"),
        ROOT.resolve("it/src/test/java/dev/correlation/it/ReadmeExamples.java"));

    ReadmeSnippets.assertEachIn(examples,
        "## Quick start: core", "<!-- kafka:start -->",
        "<!-- kafka:start -->", "<!-- kafka:end -->",
        "<!-- rabbitmq:start -->", "<!-- rabbitmq:end -->",
        "<!-- sqs:start -->", "<!-- sqs:end -->",
        "<!-- kafka-streams:start -->", "<!-- kafka-streams:end -->",
        "<!-- spring:start -->", "<!-- spring:end -->",
        "<!-- spring-web:start -->", "<!-- spring-web:end -->",
        "<!-- traces:start -->", "<!-- traces:end -->");
  }
}
