package dev.correlation.it.kafka;

import dev.correlation.it.BrokerSelection;
import dev.correlation.it.BrokerSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.jspecify.annotations.Nullable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kafka broker of the integration tests and the demo, one per JVM, started on first use:
 * {@code KAFKA_BOOTSTRAP_SERVERS} when set; else a Testcontainers {@code apache/kafka} container
 * when a Docker engine answers; else a single KRaft node (broker and controller in one) inside this
 * JVM, built from Kafka's own artifacts, on random free loopback ports, with a temporary log
 * directory that is removed when the JVM exits.
 *
 * <p>Thread safe.
 */
public final class KafkaBroker {
  /** The environment variable naming an existing cluster. */
  public static final String ENV = "KAFKA_BOOTSTRAP_SERVERS";
  /** The image used when a Docker engine is available; the same Kafka as the in-JVM broker. */
  public static final String IMAGE = "apache/kafka:4.1.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static volatile @Nullable KafkaBroker shared;

  private final String bootstrapServers;
  private final BrokerSource source;

  private KafkaBroker(String bootstrapServers, BrokerSource source) {
    this.bootstrapServers = bootstrapServers;
    this.source = source;
  }

  /** The broker of this JVM, started (or found) on the first call. */
  public static KafkaBroker shared() {
    KafkaBroker broker = shared;
    if (broker == null) {
      synchronized (KafkaBroker.class) {
        broker = shared;
        if (broker == null) {
          broker = BrokerSelection.start("kafka", ENV, BrokerSelection.Sources.of(
              address -> new KafkaBroker(address, BrokerSource.ENVIRONMENT),
              Containerized::start, Embedded::start, KafkaBroker::ready));
          shared = broker;
        }
      }
    }
    return broker;
  }

  /** {@code bootstrap.servers} for clients of this broker. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Where the broker came from. */
  public BrokerSource source() {
    return source;
  }

  /**
   * Creates a topic, single-replica, and waits until it exists and every partition has a leader
   * (a produce that races the leader election is retried by the client, and an idempotent
   * producer can then fail a batch with OUT_OF_ORDER_SEQUENCE_NUMBER); an existing topic is left
   * as it is.
   *
   * @throws IllegalStateException if the broker did not create it within a minute
   */
  public void createTopic(String name, int partitions) {
    Objects.requireNonNull(name, "name == null");
    try (Admin admin = admin()) {
      try {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
            .all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("Could not create topic " + name, e.getCause());
        }
      }
      awaitLeaders(admin, name);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not describe topic " + name, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Topic " + name + " not created in " + READY_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
  }

  private static void awaitLeaders(Admin admin, String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      // On a busy machine the metadata answering describeTopics can lag behind the creation that
      // createTopics acknowledged: an unknown topic is "not yet", like a partition without leader.
      boolean led = false;
      int partitions = 0;
      try {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
            .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        led = true;
        partitions = description.partitions().size();
        for (TopicPartitionInfo partition : description.partitions()) {
          led &= partition.leader() != null && !partition.leader().isEmpty();
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (led && servedByLeaders(admin, topic, partitions)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException("no leader for every partition of " + topic);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Whether every partition's leader answers for it (ListOffsets goes to the leader). Metadata can
   * name a leader before that broker has loaded the partition; a first produce then meets
   * NOT_LEADER_OR_FOLLOWER, and an idempotent producer's retried batch can end in
   * OUT_OF_ORDER_SEQUENCE_NUMBER and expire: on a busy machine, that failed KafkaBatchIT.
   */
  private static boolean servedByLeaders(Admin admin, String topic, int partitions)
      throws InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try {
      admin.listOffsets(latest).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return false; // not led yet (NotLeaderOrFollower, UnknownTopicOrPartition...): ask again
    }
  }

  /** An admin client of this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  @Override
  public String toString() {
    return "KafkaBroker{" + bootstrapServers + " (" + source + ")}";
  }

  /** Waits until the broker answers; what the announcement says about it. */
  private String ready() {
    awaitReady();
    return bootstrapServers;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    RuntimeException last = null;
    try (Admin admin = admin()) {
      while (System.nanoTime() - deadline < 0) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = new IllegalStateException(e);
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
    throw new IllegalStateException("Kafka at " + bootstrapServers + " not ready in "
        + READY_TIMEOUT, last);
  }

  /** Testcontainers, only when a Docker engine answered; the container is stopped at exit. */
  private static final class Containerized {
    static KafkaBroker start() {
      KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE));
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
      return new KafkaBroker(container.getBootstrapServers(), BrokerSource.TESTCONTAINERS);
    }
  }

  /**
   * One KRaft node in this JVM: {@code kafka-storage format}, then {@link KafkaRaftServer}, as
   * {@code kafka-server-start.sh} would run it. A single combined node with a static voter set
   * needs no quorum bootstrapping, which is what makes Kafka's multi-controller test kit hang.
   */
  private static final class Embedded {
    static KafkaBroker start() {
      Path dir;
      try {
        dir = Files.createTempDirectory("correlation-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        int port = freePort();
        int controllerPort = freePort();
        while (controllerPort == port) {
          controllerPort = freePort();
        }
        Properties config = config(dir.resolve("logs"), port, controllerPort);
        format(dir, config);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        // One hook for both: the directory goes only after the broker has let go of it (deleting
        // it under a running broker is a log-dir failure, which halts the JVM).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            server.shutdown();
            server.awaitShutdown();
          } finally {
            delete(dir);
          }
        }, "kafka-broker-stop"));
        server.startup();
        return new KafkaBroker("127.0.0.1:" + port, BrokerSource.EMBEDDED);
      } catch (RuntimeException | Error e) {
        delete(dir);
        throw e;
      }
    }

    private static Properties config(Path logs, int port, int controllerPort) {
      Properties p = new Properties();
      p.put("process.roles", "broker,controller");
      p.put("node.id", "1");
      p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:"
          + controllerPort);
      p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      p.put("controller.listener.names", "CONTROLLER");
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("log.dirs", logs.toString());
      // One node: every internal topic with one replica, and few partitions to start quickly.
      p.put("num.partitions", "1");
      p.put("default.replication.factor", "1");
      p.put("offsets.topic.replication.factor", "1");
      p.put("offsets.topic.num.partitions", "1");
      p.put("transaction.state.log.replication.factor", "1");
      p.put("transaction.state.log.min.isr", "1");
      p.put("transaction.state.log.num.partitions", "1");
      p.put("share.coordinator.state.topic.replication.factor", "1");
      p.put("share.coordinator.state.topic.min.isr", "1");
      p.put("group.initial.rebalance.delay.ms", "0");
      // A test broker on a small shared machine: few threads, little memory.
      p.put("num.network.threads", "2");
      p.put("num.io.threads", "2");
      p.put("background.threads", "2");
      p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
      return p;
    }

    private static void format(Path dir, Properties config) {
      Path file = dir.resolve("server.properties");
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        config.store(out, "in-JVM Kafka for correlation integration tests");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String[] args = {"format", "--cluster-id", Uuid.randomUuid().toString(),
          "--config", file.toString(), "--ignore-formatted"};
      int code = StorageTool.execute(args, new PrintStream(OutputStream.nullOutputStream()));
      if (code != 0) {
        throw new IllegalStateException("kafka-storage format failed with exit code " + code);
      }
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void delete(Path dir) {
      if (!Files.exists(dir)) {
        return;
      }
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // best effort at exit: what is left is in the system's temporary directory
      }
    }
  }
}
