package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationPropagator;
import dev.correlation.rabbitmq.RabbitCorrelation;
import dev.correlation.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Foreign publishers (a plain channel, no library) sending bad correlation headers: the handler
 * still runs, in a fresh flow, and one WARN says what was wrong, escaped.
 */
class RabbitBadHeadersIT {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitBadHeadersIT.class);
  private static final String UUID =
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

  private final AmqpBroker broker = AmqpBroker.shared();
  private Connection connection;
  private LogCapture log;

  @BeforeEach
  void connect() throws Exception {
    connection = broker.connect("bad-headers");
    log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @AfterEach
  void disconnect() throws Exception {
    log.close();
    connection.close();
  }

  static Stream<Arguments> badHeaders() {
    byte[] invalidUtf8 = {'i', 'd', (byte) 0xC3, (byte) 0x28};
    return Stream.of(
        Arguments.of("an integer", 42, "of an unsupported type", "\"42\""),
        Arguments.of("a table", Map.of("id", "abc"), "of an unsupported type", "id"),
        Arguments.of("an empty string", "", "empty", "\"\""),
        Arguments.of("10 kB", "a".repeat(10_240), "too long: 10240", "\"aaaa"),
        Arguments.of("a newline", "ok\nINFO forged line", "control character",
            "\"ok\\x0aINFO forged line\""),
        Arguments.of("invalid UTF-8 bytes", invalidUtf8, "not valid UTF-8",
            "\"id\\xc3(\""),
        Arguments.of("invalid UTF-8 long string", LongStringHelper.asLongString(invalidUtf8),
            "not valid UTF-8", "\"id\\xc3(\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHeaders")
  void handlesMessageInFreshFlowAndWarnsOnceEscaped(String what, Object value, String reason,
      String shown) throws Exception {
    // a configuration of its own: WARNs are rate-limited per configuration
    RabbitCorrelation rabbit = RabbitCorrelation.create(CorrelationConfig.builder().build());
    Channel channel = rabbit.wrap(connection.createChannel());
    String queue = RabbitFlowIT.queue(channel);
    Seen.Inbox inbox = new Seen.Inbox();
    channel.basicConsume(queue, true, (tag, delivery) -> {
      LOG.info("handled {}", what);
      inbox.add(Seen.now(delivery.getEnvelope(), delivery.getProperties(), delivery.getBody()));
    }, tag -> { });
    Map<String, Object> headers = new HashMap<>();
    headers.put("X-Correlation-ID", value);

    try (Channel plain = connection.createChannel()) {
      plain.basicPublish("", queue, new AMQP.BasicProperties.Builder()
          .headers(headers).correlationId("property-id").messageId("foreign-1").build(),
          what.getBytes(StandardCharsets.UTF_8));
    }

    Seen seen = inbox.next();
    assertThat(seen.body()).isEqualTo(what);
    assertThat(seen.correlationId()).matches(UUID); // fresh; not the bad value, not the property
    assertThat(seen.context().messageId()).isEqualTo("foreign-1");
    List<String> warnings = log.lines("%level %msg").stream()
        .filter(line -> line.startsWith("WARN")).toList();
    assertThat(warnings).singleElement().asString()
        .contains("X-Correlation-ID", reason, shown, "using fresh ID " + seen.correlationId())
        .doesNotContain("\n", "\r");
    assertThat(log.lines("%X{correlation_id} %msg"))
        .contains(seen.correlationId() + " handled " + what);
    assertThat(log.events()).filteredOn(e -> e.getLoggerName()
        .equals(CorrelationPropagator.class.getName())).hasSize(1);
    channel.close();
  }
}
