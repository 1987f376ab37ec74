package dev.correlation.it;

import static org.assertj.core.api.Assertions.assertThat;

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
}
