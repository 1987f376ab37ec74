package dev.correlation.it.sqs;

import com.typesafe.config.ConfigFactory;
import dev.correlation.it.BrokerSelection;
import dev.correlation.it.BrokerSource;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.jspecify.annotations.Nullable;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.utils.ThreadFactoryBuilder;

/**
 * An SQS-compatible server for the integration tests and the demo, chosen once per JVM: the
 * endpoint in {@code SQS_ENDPOINT} (ElasticMQ, LocalStack, ...); else LocalStack through
 * Testcontainers when a Docker engine answers; else ElasticMQ inside this JVM on a free port,
 * stopped by a shutdown hook. Hands out SDK client builders pointed at it, with static credentials
 * and a fixed region, and no interceptor: the caller decides what to add.
 */
public final class SqsBroker {
  /** Environment variable with the endpoint of an SQS-compatible server to use. */
  public static final String ENDPOINT_VARIABLE = "SQS_ENDPOINT";
  static final String LOCALSTACK_IMAGE = "localstack/localstack:4.4";
  private static final Region DEFAULT_REGION = Region.US_EAST_1;

  private static @Nullable SqsBroker shared;

  private final BrokerSource source;
  private final URI endpoint;
  private final Region region;
  private final AwsCredentialsProvider credentials;

  private SqsBroker(BrokerSource source, URI endpoint, Region region, String accessKey,
      String secretKey) {
    this.source = source;
    this.endpoint = endpoint;
    this.region = region;
    this.credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  /** The server of this JVM, started on first use. */
  public static synchronized SqsBroker shared() {
    SqsBroker broker = shared;
    if (broker == null) {
      Map<String, String> environment = System.getenv();
      broker = BrokerSelection.start("SQS", ENDPOINT_VARIABLE, BrokerSelection.Sources.of(
          address -> fromEnvironment(address, environment), SqsBroker::localStack,
          SqsBroker::elasticMq, started -> started.endpoint.toString()));
      shared = broker;
    }
    return broker;
  }

  private static SqsBroker fromEnvironment(String endpoint, Map<String, String> environment) {
    return new SqsBroker(BrokerSource.ENVIRONMENT, URI.create(endpoint),
        Region.of(environment.getOrDefault("AWS_REGION", DEFAULT_REGION.id())),
        environment.getOrDefault("AWS_ACCESS_KEY_ID", "test"),
        environment.getOrDefault("AWS_SECRET_ACCESS_KEY", "test"));
  }

  private static SqsBroker localStack() {
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE)).withServices("sqs");
    container.start(); // stopped by the shutdown hook below
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "localstack-stop"));
    return new SqsBroker(BrokerSource.TESTCONTAINERS, container.getEndpoint(),
        Region.of(container.getRegion()), container.getAccessKey(), container.getSecretKey());
  }

  private static SqsBroker elasticMq() {
    // Daemon threads: a demo's main() may end without stopping the server; the hook still does.
    ActorSystem actors = ActorSystem.create("elasticmq",
        ConfigFactory.parseString("pekko.daemonic = on").withFallback(ConfigFactory.load()));
    SQSRestServer server = SQSRestServerBuilder.withActorSystem(actors)
        .withInterface("127.0.0.1")
        .withDynamicPort()
        .withAWSRegion(DEFAULT_REGION.id())
        .start();
    int port = server.waitUntilStarted().localAddress().getPort();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stopAndWait();
      actors.terminate();
      try {
        actors.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the JVM is exiting either way
      }
    }, "elasticmq-stop"));
    return new SqsBroker(BrokerSource.EMBEDDED, URI.create("http://127.0.0.1:" + port),
        DEFAULT_REGION, "test", "test");
  }

  /** Where the server came from. */
  public BrokerSource source() {
    return source;
  }

  /** The server's endpoint, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The region the clients sign for. */
  public Region region() {
    return region;
  }

  /** A sync client builder (URL-connection HTTP client) for this server. */
  public SqsClientBuilder syncClient() {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(region)
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .socketTimeout(Duration.ofSeconds(30)));
  }

  /**
   * An async client builder (Netty HTTP client) for this server. Its clients share one event loop
   * of daemon threads that they do not own, so closing one is immediate rather than a two-second
   * graceful Netty shutdown.
   */
  public SqsAsyncClientBuilder asyncClient() {
    SdkAsyncHttpClient.Builder<?> netty = NettyNioAsyncHttpClient.builder()
        .eventLoopGroup(SharedEventLoop.GROUP)
        .readTimeout(Duration.ofSeconds(30));
    return SqsAsyncClient.builder()
        .endpointOverride(endpoint)
        .region(region)
        .credentialsProvider(credentials)
        .httpClientBuilder(netty);
  }

  private static final class SharedEventLoop {
    static final SdkEventLoopGroup GROUP = SdkEventLoopGroup.builder()
        .numberOfThreads(2)
        .threadFactory(new ThreadFactoryBuilder().threadNamePrefix("sqs-netty")
            .daemonThreads(true).build())
        .build();
  }

  @Override
  public String toString() {
    return "SqsBroker{" + source.name().toLowerCase(Locale.ROOT) + " " + endpoint + '}';
  }
}
