package dev.correlation.kafka.streams;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/** Shared bits of the Streams unit tests: properties, headers, the application's logger. */
final class StreamsTestKit {
  /** The logger the test topologies' processors write to; captured at INFO. */
  static final String APP_LOGGER = "streams.app";
  static final org.slf4j.Logger APP = LoggerFactory.getLogger(APP_LOGGER);

  static {
    ((Logger) LoggerFactory.getLogger(APP_LOGGER)).setLevel(Level.INFO);
  }

  private StreamsTestKit() {}

  /**
   * Properties of a test application with the wrapper set. A {@code correlation.*} key gives it a
   * configuration of its own, so rate-limited WARNs are counted for this test alone.
   */
  static Properties props(boolean wrapper) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-app");
    // a state directory of its own: the default (/tmp/kafka-streams) is shared by every build on
    // the machine, and two builds at once fail on each other's RocksDB locks
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put("correlation.header.name", "X-Correlation-ID");
    if (wrapper) {
      props.put(StreamsConfig.PROCESSOR_WRAPPER_CLASS_CONFIG, CorrelationProcessorWrapper.class);
    }
    return props;
  }

  private static String stateDir() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("correlation-streams-test");
      dir.toFile().deleteOnExit();
      return dir.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Headers headers(@Nullable String correlation, @Nullable String causation) {
    Headers headers = new RecordHeaders();
    if (correlation != null) {
      headers.add("X-Correlation-ID", correlation.getBytes(UTF_8));
    }
    if (causation != null) {
      headers.add("X-Causation-ID", causation.getBytes(UTF_8));
    }
    return headers;
  }

  /** Every value of header {@code name}, in order (so a duplicate shows). */
  static List<String> values(Headers headers, String name) {
    return StreamSupport.stream(headers.headers(name).spliterator(), false)
        .map(Header::value)
        .map(v -> new String(v, UTF_8))
        .collect(Collectors.toList());
  }

  /** The one value of header {@code name}; null when absent. */
  static @Nullable String value(Headers headers, String name) {
    List<String> all = values(headers, name);
    if (all.size() > 1) {
      throw new AssertionError(name + " present " + all.size() + " times: " + all);
    }
    return all.isEmpty() ? null : all.get(0);
  }

  /** The correlation, message and causation IDs in an event's MDC, as "c|m|cause". */
  static String mdc(ILoggingEvent event) {
    return event.getMDCPropertyMap().get("correlation_id") + "|"
        + event.getMDCPropertyMap().get("message_id") + "|"
        + event.getMDCPropertyMap().get("causation_id");
  }
}
