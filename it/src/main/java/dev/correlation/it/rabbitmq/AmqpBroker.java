package dev.correlation.it.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.correlation.it.BrokerSelection;
import dev.correlation.it.BrokerSource;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * An AMQP 0-9-1 broker for the integration tests and the demo, chosen once per JVM:
 * <ol>
 *   <li>{@code RABBITMQ_URI} in the environment ({@code amqp://user:pass@host:port/vhost});</li>
 *   <li>else a RabbitMQ container, when a Docker engine answers;</li>
 *   <li>else the local RabbitMQ on {@code 127.0.0.1:5672} (guest/guest), if it accepts a
 *       connection;</li>
 *   <li>else Apache Qpid Broker-J in this JVM ({@link QpidBroker}).</li>
 * </ol>
 * {@code -Dcorrelation.it.amqp=qpid} skips straight to Qpid, to try the newcomer's path on a
 * machine that has RabbitMQ. The choice is announced on standard output.
 *
 * <p>Connections made through {@link #connect(String)} recover automatically and carry a name
 * unique to this JVM, so that {@link #forceCloseConnections()} can close exactly them from the
 * broker's side, the way an operator or a broker restart would.
 */
public final class AmqpBroker implements AutoCloseable {
  /** System property: {@code qpid} forces the in-JVM broker. */
  public static final String OVERRIDE_PROPERTY = "correlation.it.amqp";
  static final String LOCAL_URI = "amqp://guest:guest@127.0.0.1:5672/%2F";
  private static final String IMAGE = "rabbitmq:4.1-management";
  private static final AtomicInteger CONNECTIONS = new AtomicInteger();

  private final BrokerSource source;
  private final String uri;
  private final String description;
  private final ConnectionCloser closer;
  private final AutoCloseable resource;
  private final String namePrefix =
      "correlation-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";

  private AmqpBroker(BrokerSource source, String uri, String description, ConnectionCloser closer,
      AutoCloseable resource) {
    this.source = source;
    this.uri = uri;
    this.description = description;
    this.closer = closer;
    this.resource = resource;
  }

  /** The broker shared by everything in this JVM; chosen and started on first use. */
  public static AmqpBroker shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final AmqpBroker INSTANCE = choose();
  }

  private static AmqpBroker choose() {
    AmqpBroker broker = BrokerSelection.start("RabbitMQ", "RABBITMQ_URI",
        BrokerSelection.Sources.of(AmqpBroker::fromEnvironment, AmqpBroker::container,
            AmqpBroker::localOrQpid, started -> started.description)
            .announcingSource(started -> started.source));
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "amqp-broker-stop"));
    return broker;
  }

  private static AmqpBroker fromEnvironment(String uri) {
    return new AmqpBroker(BrokerSource.ENVIRONMENT, uri, "RabbitMQ at " + redact(uri),
        ManagementApi.forAmqpUri(uri, System.getenv("RABBITMQ_MANAGEMENT_URI")), () -> { });
  }

  /** The local RabbitMQ on 5672 when it answers (unless Qpid is asked for), else Qpid. */
  private static AmqpBroker localOrQpid() {
    if ("qpid".equalsIgnoreCase(System.getProperty(OVERRIDE_PROPERTY))) {
      return qpid();
    }
    String version = serverVersion(LOCAL_URI);
    if (version == null) {
      return qpid();
    }
    return new AmqpBroker(BrokerSource.LOCAL, LOCAL_URI, "local RabbitMQ " + version
        + " at 127.0.0.1:5672", Rabbitmqctl.local(), () -> { });
  }

  /**
   * A Qpid Broker-J of its own in this JVM, whatever the shared one is: proves the fallback works
   * on a machine that has RabbitMQ. Close it when done.
   */
  public static AmqpBroker startQpid() {
    return qpid();
  }

  private static AmqpBroker qpid() {
    QpidBroker qpid = QpidBroker.start();
    return new AmqpBroker(BrokerSource.EMBEDDED,
        "amqp://guest:guest@127.0.0.1:" + qpid.port() + "/default",
        "Apache Qpid Broker-J " + qpid.version() + " in this JVM at 127.0.0.1:" + qpid.port(),
        prefix -> qpid.closeAllConnections(), qpid);
  }

  private static AmqpBroker container() {
    RabbitMQContainer container = new RabbitMQContainer(DockerImageName.parse(IMAGE));
    container.start();
    String uri = "amqp://" + container.getAdminUsername() + ":" + container.getAdminPassword()
        + "@" + container.getHost() + ":" + container.getAmqpPort() + "/%2F";
    return new AmqpBroker(BrokerSource.TESTCONTAINERS, uri,
        "RabbitMQ container " + IMAGE + " at " + container.getHost() + ":"
            + container.getAmqpPort(),
        Rabbitmqctl.in(container), container::stop);
  }

  /** Where the broker came from. */
  public BrokerSource source() {
    return source;
  }

  /** Which broker this is, for the test output. */
  public String description() {
    return description;
  }

  /**
   * Queue declare arguments that send rejected (not requeued) messages to {@code exchange}:
   * RabbitMQ's {@code x-dead-letter-exchange}; for Qpid, an alternate exchange plus a maximum
   * delivery count of 1, because Qpid requeues a rejected message until it reaches that count.
   */
  public Map<String, Object> deadLetterArguments(String exchange) {
    return resource instanceof QpidBroker
        ? Map.of("alternateExchange", exchange, "x-qpid-maximum-delivery-count", 1)
        : Map.of("x-dead-letter-exchange", exchange);
  }

  /**
   * Queue declare arguments that delete an unused queue after {@code millis}, in case a test
   * dies before deleting it: RabbitMQ's {@code x-expires}; none for Qpid, whose queues go with
   * this JVM anyway (it refuses the argument).
   */
  public Map<String, Object> expiryArguments(int millis) {
    return resource instanceof QpidBroker ? Map.of() : Map.of("x-expires", millis);
  }

  /**
   * A new factory for this broker, with automatic connection and topology recovery on, retried
   * every 100 ms so that recovery tests stay short.
   */
  public ConnectionFactory connectionFactory() {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(uri);
    } catch (Exception e) {
      throw new IllegalStateException("bad AMQP URI " + redact(uri), e);
    }
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(100);
    factory.setConnectionTimeout(5_000);
    factory.setRequestedHeartbeat(10);
    return factory;
  }

  /** Opens a recovering connection named {@code name} (unique to this JVM). */
  public Connection connect(String name) throws IOException, TimeoutException {
    return connectionFactory().newConnection(uniqueName(name));
  }

  /** Like {@link #connect(String)}, with consumers called on {@code consumerThreads}. */
  public Connection connect(String name, ExecutorService consumerThreads)
      throws IOException, TimeoutException {
    return connectionFactory().newConnection(consumerThreads, uniqueName(name));
  }

  private String uniqueName(String name) {
    return namePrefix + CONNECTIONS.incrementAndGet() + "-" + name;
  }

  /**
   * Closes, from the broker's side, every connection opened by {@link #connect(String)}; clients
   * see the broker go away and recover.
   *
   * @return how many were closed
   * @throws IllegalStateException if this broker offers no way to do it (say, a remote RabbitMQ
   *     without a reachable management API), with what to do about it
   */
  public int forceCloseConnections() {
    try {
      return closer.closeConnections(namePrefix);
    } catch (IOException e) {
      throw new IllegalStateException("could not force-close connections on " + description
          + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      resource.close();
    } catch (Exception e) {
      // stopping at exit: nothing left to tell
    }
  }

  /** The server's version, if one accepts a connection at {@code uri}; else null. */
  private static @Nullable String serverVersion(String uri) {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(uri);
      factory.setAutomaticRecoveryEnabled(false);
      factory.setConnectionTimeout(2_000);
      factory.setHandshakeTimeout(2_000);
      try (Connection connection = factory.newConnection("correlation-it-probe")) {
        Map<String, Object> server = connection.getServerProperties();
        Object version = server == null ? null : server.get("version");
        return version == null ? "(unknown version)" : version.toString();
      }
    } catch (Exception e) {
      return null;
    }
  }

  static String redact(String uri) {
    try {
      URI parsed = URI.create(uri);
      return parsed.getUserInfo() == null ? uri : uri.replace(parsed.getRawUserInfo() + "@", "");
    } catch (IllegalArgumentException e) {
      return "(unparsable URI)";
    }
  }

  @Override
  public String toString() {
    return description;
  }

  /** Closes this JVM's connections from the broker's side. */
  @FunctionalInterface
  interface ConnectionCloser {
    int closeConnections(String namePrefix) throws IOException, InterruptedException;
  }
}
