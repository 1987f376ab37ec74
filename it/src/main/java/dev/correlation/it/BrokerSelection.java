package dev.correlation.it;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
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

  /**
   * Chooses the source of one broker ({@link #choose}), obtains the broker from it, and says so
   * once ({@link #announce}). Every broker fixture starts through here.
   *
   * @param broker the broker's name in the announcement, e.g. "kafka"
   * @param variable the environment variable holding an explicit address
   */
  public static <T> T start(String broker, String variable, Map<String, String> environment,
      DockerProbe docker, Sources<T> sources) {
    BrokerSource source = choose(variable, environment, docker);
    T started = switch (source) {
      case ENVIRONMENT -> sources.fromEnvironment.apply(environment.get(variable).trim());
      case TESTCONTAINERS -> sources.fromContainer.get();
      case EMBEDDED, LOCAL -> sources.embedded.get();
    };
    BrokerSource actual = sources.actualSource == null ? source
        : sources.actualSource.apply(started);
    announce(broker, actual, sources.describe.apply(started));
    return started;
  }

  /** {@link #start} with the real environment and Testcontainers' Docker check. */
  public static <T> T start(String broker, String variable, Sources<T> sources) {
    return start(broker, variable, System.getenv(), DockerProbe.testcontainers(), sources);
  }

  /**
   * How one broker is obtained from each source, and described once it runs.
   *
   * @param <T> the broker fixture
   */
  public static final class Sources<T> {
    final Function<String, T> fromEnvironment;
    final Supplier<T> fromContainer;
    final Supplier<T> embedded;
    final Function<T, String> describe;
    final @Nullable Function<T, BrokerSource> actualSource;

    private Sources(Function<String, T> fromEnvironment, Supplier<T> fromContainer,
        Supplier<T> embedded, Function<T, String> describe,
        @Nullable Function<T, BrokerSource> actualSource) {
      this.fromEnvironment = fromEnvironment;
      this.fromContainer = fromContainer;
      this.embedded = embedded;
      this.describe = describe;
      this.actualSource = actualSource;
    }

    /**
     * The same sources, announcing where a started broker really came from: the "embedded"
     * choice may find a local server instead (RabbitMQ on its standard port).
     */
    public Sources<T> announcingSource(Function<T, BrokerSource> actualSource) {
      return new Sources<>(fromEnvironment, fromContainer, embedded, describe,
          Objects.requireNonNull(actualSource, "actualSource == null"));
    }

    /**
     * @param fromEnvironment the broker at the explicit address (trimmed)
     * @param fromContainer the broker in a Testcontainers container, started
     * @param embedded the broker in this JVM (or a local server), started
     * @param describe what the announcement says about a running broker
     */
    public static <T> Sources<T> of(Function<String, T> fromEnvironment, Supplier<T> fromContainer,
        Supplier<T> embedded, Function<T, String> describe) {
      return new Sources<>(Objects.requireNonNull(fromEnvironment, "fromEnvironment == null"),
          Objects.requireNonNull(fromContainer, "fromContainer == null"),
          Objects.requireNonNull(embedded, "embedded == null"),
          Objects.requireNonNull(describe, "describe == null"), null);
    }
  }

  /** Says which broker was chosen, once, on the log and on standard output. */
  public static void announce(String broker, BrokerSource source, String detail) {
    String line = "[brokers] " + broker + ": " + detail + " (" + source.name().toLowerCase() + ")";
    LOG.info(line);
    System.out.println(line);
  }
}
