package dev.correlation.it;

import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once per broker, where the integration tests and the demo get it from, in this order:
 * an explicit address in the environment, else Testcontainers when a Docker engine answers, else
 * an in-JVM broker (or, for AMQP, a local RabbitMQ on port 5672 before an in-JVM Qpid).
 */
public final class BrokerSelection {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerSelection.class);

  private BrokerSelection() {}

  /**
   * The source for one broker.
   *
   * @param variable the environment variable holding an explicit address, e.g.
   *     {@code KAFKA_BOOTSTRAP_SERVERS}
   */
  public static BrokerSource choose(String variable, Map<String, String> environment,
      DockerProbe docker) {
    Objects.requireNonNull(variable, "variable == null");
    String explicit = environment.get(variable);
    if (explicit != null && !explicit.isBlank()) {
      return BrokerSource.ENVIRONMENT;
    }
    return docker.dockerAvailable() ? BrokerSource.TESTCONTAINERS : BrokerSource.EMBEDDED;
  }

  /** {@link #choose} with the real environment and Testcontainers' Docker check. */
  public static BrokerSource choose(String variable) {
    return choose(variable, System.getenv(), DockerProbe.testcontainers());
  }

  /** Says which broker was chosen, once, on the log and on standard output. */
  public static void announce(String broker, BrokerSource source, String detail) {
    String line = "[brokers] " + broker + ": " + detail + " (" + source.name().toLowerCase() + ")";
    LOG.info(line);
    System.out.println(line);
  }
}
