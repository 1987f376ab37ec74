package dev.correlation.bench;

import com.rabbitmq.client.AMQP;
import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.rabbitmq.PropertiesPostProcessor;
import dev.correlation.rabbitmq.RabbitCorrelation;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * RabbitMQ publish side, per message: the properties an application builds for a publish (with 0
 * or 5 headers of its own), then our post-processor as the wrapped channel applies it, inside a
 * flow that is handling a message (so both headers, correlation_id and message_id are written).
 * {@code baseline}: building the properties, no library. {@code floor}: by hand, with the
 * client's own builders, what ours writes: a copy of the header table with X-Correlation-ID and
 * X-Causation-ID put in, {@code correlation_id} set as it is empty, and a random UUID as
 * {@code message_id} as it is empty (what gives the next hop its causation ID). (Neither
 * OpenTelemetry nor Brave has a library instrumentation for amqp-client to compare with.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class RabbitPublishBenchmark {
  @Param({"0", "5"})
  public int existingHeaders;

  private final PropertiesPostProcessor ours = RabbitCorrelation.create().postProcessor();
  private Map<String, Object> headers;
  private dev.correlation.Scope flow;
  private AutoCloseable floorFlow;

  @Setup(Level.Trial)
  public void headers() {
    headers = new HashMap<>();
    for (int i = 0; i < existingHeaders; i++) {
      headers.put("app-" + i, "value-" + i);
    }
  }

  @Setup(Level.Iteration)
  public void openFlow() {
    flow = Correlation.open(CorrelationContext.of(
        "7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "orders-3@1042", "orders-1@17"));
    floorFlow = Floor.open("7f3a9c2e-4b1d-4e8a-9f6c-2d5e8a1b3c4f", "orders-3@1042");
  }

  @TearDown(Level.Iteration)
  public void closeFlow() throws Exception {
    floorFlow.close();
    flow.close();
  }

  private AMQP.BasicProperties properties() {
    return new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .deliveryMode(2)
        .headers(existingHeaders == 0 ? null : headers)
        .build();
  }

  @Benchmark
  public AMQP.BasicProperties baseline() {
    return properties();
  }

  @Benchmark
  public AMQP.BasicProperties floor() {
    AMQP.BasicProperties properties = properties();
    Floor.Flow current = Floor.current();
    Map<String, Object> given = properties.getHeaders();
    Map<String, Object> headers = given == null ? new HashMap<>() : new HashMap<>(given);
    headers.put(Floor.HEADER, current.id);
    headers.put(Floor.CAUSATION, current.messageId);
    AMQP.BasicProperties.Builder builder = properties.builder().headers(headers);
    if (properties.getCorrelationId() == null) {
      builder.correlationId(current.id);
    }
    if (properties.getMessageId() == null) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      builder.messageId(new UUID(random.nextLong(), random.nextLong()).toString());
    }
    return builder.build();
  }

  @Benchmark
  public AMQP.BasicProperties ours() {
    return ours.process(properties());
  }
}
