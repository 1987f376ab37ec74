package dev.correlation.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BrokerSelectionTest {

  @Test
  void explicitAddressWinsWithoutAskingDocker() {
    AtomicInteger asked = new AtomicInteger();
    DockerProbe docker = () -> {
      asked.incrementAndGet();
      return true;
    };
    assertThat(BrokerSelection.choose("KAFKA_BOOTSTRAP_SERVERS",
        Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092"), docker))
        .isEqualTo(BrokerSource.ENVIRONMENT);
    assertThat(asked).hasValue(0);
  }

  @Test
  void testcontainersWhenDockerAnswers() {
    assertThat(BrokerSelection.choose("SQS_ENDPOINT", Map.of(), () -> true))
        .isEqualTo(BrokerSource.TESTCONTAINERS);
  }

  @Test
  void embeddedWhenNeitherAddressNorDocker() {
    assertThat(BrokerSelection.choose("RABBITMQ_URI", Map.of("RABBITMQ_URI", "  "), () -> false))
        .isEqualTo(BrokerSource.EMBEDDED);
  }

  @Test
  void theRealProbeSaysNoDockerOnAMachineWithoutAnEngine() {
    // This machine has a docker CLI but no daemon: the CLI alone must not count as Docker.
    boolean engine = new java.io.File("/var/run/docker.sock").exists()
        || System.getenv("DOCKER_HOST") != null;
    org.junit.jupiter.api.Assumptions.assumeFalse(engine, "a Docker engine may be present");
    assertThat(DockerProbe.testcontainers().dockerAvailable()).isFalse();
  }

  /** Records which source a fixture was asked for. */
  private static BrokerSelection.Sources<String> recording(List<String> calls) {
    return BrokerSelection.Sources.of(
        address -> {
          calls.add("environment " + address);
          return "at " + address;
        },
        () -> {
          calls.add("container");
          return "in a container";
        },
        () -> {
          calls.add("embedded");
          return "in this JVM";
        },
        broker -> "broker " + broker);
  }

  @Test
  void startsTheContainerWhenDockerAnswersAndSaysSoOnce() {
    List<String> calls = new ArrayList<>();
    try (LogCapture log = new LogCapture(BrokerSelection.class)) {
      String broker = BrokerSelection.start("kafka", "KAFKA_BOOTSTRAP_SERVERS", Map.of(),
          () -> true, recording(calls));
      assertThat(broker).isEqualTo("in a container");
      assertThat(calls).containsExactly("container");
      assertThat(log.lines("%msg")).containsExactly(
          "[brokers] kafka: broker in a container (testcontainers)");
    }
  }

  @Test
  void usesTheExplicitAddressTrimmed() {
    List<String> calls = new ArrayList<>();
    String broker = BrokerSelection.start("SQS", "SQS_ENDPOINT",
        Map.of("SQS_ENDPOINT", " http://sqs.local:9324 "), () -> true, recording(calls));
    assertThat(broker).isEqualTo("at http://sqs.local:9324");
    assertThat(calls).containsExactly("environment http://sqs.local:9324");
  }

  @Test
  void startsInThisJvmWithoutDocker() {
    List<String> calls = new ArrayList<>();
    assertThat(BrokerSelection.start("RabbitMQ", "RABBITMQ_URI", Map.of(), () -> false,
        recording(calls))).isEqualTo("in this JVM");
    assertThat(calls).containsExactly("embedded");
  }
}
