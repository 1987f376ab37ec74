package dev.correlation.it.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.Correlation;
import dev.correlation.it.kafka.KafkaBroker;
import dev.correlation.kafka.CorrelationProducerInterceptor;
import dev.correlation.kafka.streams.CorrelationProcessorWrapper;
import dev.correlation.testing.LogCapture;
import dev.correlation.testing.ThreadChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@link KafkaStreams} on the shared broker, wired with the one property: 200 flows through
 * two sub-topologies with a repartition topic between them, on two stream threads.
 */
class KafkaStreamsFlowIT {
  private static final int FLOWS = 200;
  private static final int PARTITIONS = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String APP_LOGGER = "dev.correlation.it.streams.app";
  private static final Logger APP = LoggerFactory.getLogger(APP_LOGGER);
  private static final Pattern LINE = Pattern.compile("(accepted|priced|shipped) order-(\\d+)");

  private final LogCapture app = new LogCapture(APP_LOGGER);

  KafkaStreamsFlowIT() {
    // 600 lines: captured, not printed
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(APP_LOGGER)).setAdditive(false);
  }

  @AfterEach
  void detach() {
    app.close();
  }

  /** The second stage's last processor: an application processor. */
  static final class Ship extends ContextualProcessor<String, String, String, String> {
    @Override
    public void process(Record<String, String> record) {
      APP.info("shipped {}", record.value());
      context().forward(record.withValue(record.value() + " shipped"));
    }
  }

  /**
   * Sees the stream thread between two polls' worth of processing: the main consumer's
   * {@code onConsume} runs on the stream thread, inside {@code poll}, outside any processor. A
   * scope or MDC key left behind by a processor shows up here.
   */
  public static final class ThreadProbe implements ConsumerInterceptor<byte[], byte[]> {
    static final ConcurrentLinkedQueue<String> STATES = new ConcurrentLinkedQueue<>();

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
      STATES.add(Thread.currentThread().getName() + ": " + ThreadChecks.state());
      return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }

  @Test
  void twoHundredFlowsCrossARepartitionEachRecordAndLineInItsOwnFlow() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String run = "streams-" + UUID.randomUUID().toString().substring(0, 8);
    String orders = run + "-orders";
    String shipped = run + "-shipped";
    broker.createTopic(orders, PARTITIONS);
    broker.createTopic(shipped, PARTITIONS);
    ThreadProbe.STATES.clear();

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, run);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG,
        Path.of("target", "streams-state", run).toAbsolutePath().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG),
        ThreadProbe.class.getName());
    // the one line of wiring
    props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, CorrelationProcessorWrapper.class);

    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.stream(orders, Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(order -> {
          APP.info("accepted {}", order);
          return order;
        })
        .selectKey((key, order) -> order) // a new key: the next stage reads a repartition topic
        .repartition(Repartitioned.with(Serdes.String(), Serdes.String())
            .withName("by-order").withNumberOfPartitions(PARTITIONS))
        .mapValues(order -> {
          APP.info("priced {}", order);
          return order;
        })
        .process(Ship::new)
        .to(shipped, Produced.with(Serdes.String(), Serdes.String()));

    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    List<ConsumerRecord<String, String>> out;
    try {
      streams.start();
      assertThat(running.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("RUNNING").isTrue();
      send(broker, orders);
      out = readAll(broker, shipped);
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }

    // every output record: its own flow, and the repartition record as cause
    String repartition = Pattern.quote(run + "-by-order-repartition") + "-\\d+@\\d+";
    assertThat(out).hasSize(FLOWS);
    Map<String, String> outputCause = new HashMap<>();
    for (ConsumerRecord<String, String> record : out) {
      String n = record.value().replaceAll("order-(\\d+) shipped", "$1");
      assertThat(values(record.headers(), "X-Correlation-ID")).as(record.value())
          .containsExactly("flow-" + n);
      List<String> cause = values(record.headers(), "X-Causation-ID");
      assertThat(cause).as(record.value()).singleElement().asString().matches(repartition);
      outputCause.put(n, cause.get(0));
    }
    assertThat(outputCause).hasSize(FLOWS);

    // every log line: its own flow; message and causation IDs chain the hops
    List<ILoggingEvent> lines = app.events();
    assertThat(lines).hasSize(3 * FLOWS);
    Map<String, Map<String, Map<String, String>>> byFlow = new HashMap<>();
    for (ILoggingEvent line : lines) {
      Matcher m = LINE.matcher(line.getFormattedMessage());
      assertThat(m.matches()).as(line.getFormattedMessage()).isTrue();
      assertThat(line.getThreadName()).contains("StreamThread");
      Map<String, String> mdc = line.getMDCPropertyMap();
      assertThat(mdc.get("correlation_id")).as(line.getFormattedMessage())
          .isEqualTo("flow-" + m.group(2));
      byFlow.computeIfAbsent(m.group(2), k -> new HashMap<>()).put(m.group(1), mdc);
    }
    assertThat(byFlow).hasSize(FLOWS);
    byFlow.forEach((n, stages) -> {
      Map<String, String> accepted = stages.get("accepted");
      Map<String, String> priced = stages.get("priced");
      Map<String, String> shippedLine = stages.get("shipped");
      assertThat(accepted.get("message_id")).matches(Pattern.quote(orders) + "-\\d+@\\d+");
      assertThat(accepted.get("causation_id")).isNull();
      assertThat(priced.get("message_id")).matches(repartition)
          .isEqualTo(shippedLine.get("message_id")).isEqualTo(outputCause.get(n));
      assertThat(priced.get("causation_id")).isEqualTo(accepted.get("message_id"))
          .isEqualTo(shippedLine.get("causation_id"));
    });

    // the stream threads between processing: nothing left behind
    List<String> states = new ArrayList<>(ThreadProbe.STATES);
    assertThat(states).isNotEmpty().allSatisfy(s -> assertThat(s).endsWith(": clean"));
  }

  private static void send(KafkaBroker broker, String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
        CorrelationProducerInterceptor.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < FLOWS; i++) {
        ProducerRecord<String, String> record =
            new ProducerRecord<>(topic, "customer-" + (i % 7), "order-" + i);
        Correlation.runWith("flow-" + i, () -> producer.send(record));
      }
      producer.flush();
    }
  }

  private static List<ConsumerRecord<String, String>> readAll(KafkaBroker broker, String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (all.size() < FLOWS && System.nanoTime() - deadline < 0) {
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    return all;
  }

  private static List<String> values(Headers headers, String name) {
    List<String> values = new ArrayList<>();
    for (Header header : headers.headers(name)) {
      values.add(new String(header.value(), UTF_8));
    }
    return values.stream().collect(Collectors.toList());
  }
}
