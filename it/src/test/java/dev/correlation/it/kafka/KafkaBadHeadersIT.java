package dev.correlation.it.kafka;

import static dev.correlation.it.kafka.KafkaClients.consumer;
import static dev.correlation.it.kafka.KafkaClients.newTopic;
import static dev.correlation.it.kafka.KafkaClients.poll;
import static dev.correlation.it.kafka.KafkaClients.send;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationPropagator;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.testing.LogCapture;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records written by a producer without the interceptor, carrying every kind of broken header a
 * careless or hostile producer can write: every record is still handled, with a usable ID.
 */
class KafkaBadHeadersIT {
  private static final String HEADER = "X-Correlation-ID";

  @Test
  void handlesEveryRecordAndReplacesBadIdsWithFreshOnesAndEscapedWarnings() {
    String topic = newTopic("untrusted", 1);
    byte[] tenKb = new byte[10 * 1024];
    Arrays.fill(tenKb, (byte) 'a');
    Map<String, byte[][]> cases = new LinkedHashMap<>();
    cases.put("empty", new byte[][] {new byte[0]});
    cases.put("10 kB", new byte[][] {tenKb});
    cases.put("forged line",
        new byte[][] {"ok\n12:00:01 INFO [c=admin] payment approved".getBytes(UTF_8)});
    cases.put("invalid UTF-8", new byte[][] {{'o', 'k', (byte) 0xC3, (byte) 0x28}});
    cases.put("JSON-quoted", new byte[][] {"\"order-7\"".getBytes(UTF_8)});
    cases.put("two copies", new byte[][] {"order-1".getBytes(UTF_8), "order-2".getBytes(UTF_8)});
    cases.put("valid", new byte[][] {"order-9".getBytes(UTF_8)});
    try (KafkaProducer<String, String> plain = KafkaClients.plainProducer()) {
      for (Map.Entry<String, byte[][]> c : cases.entrySet()) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, c.getKey(), c.getKey());
        for (byte[] value : c.getValue()) {
          record.headers().add(HEADER, value);
        }
        send(plain, record);
      }
    }
    // Its own configuration: WARNs are rate-limited per configuration, once per cause a minute.
    KafkaCorrelation kafka = KafkaCorrelation.create(CorrelationConfig.builder().build());
    Map<String, String> seen = new LinkedHashMap<>();

    try (KafkaConsumer<String, String> consumer = consumer(topic);
        LogCapture log = new LogCapture(CorrelationPropagator.class)) {
      List<ConsumerRecord<String, String>> records = poll(consumer, cases.size());
      for (ConsumerRecord<String, String> record : records) {
        assertThat(record.headers().headers(HEADER)).hasSize(cases.get(record.key()).length);
        kafka.<String, String>wrap(r -> seen.put(r.key(), Correlation.currentId())).accept(record);
      }

      assertThat(seen.keySet()).containsExactlyElementsOf(cases.keySet());
      assertThat(seen).containsEntry("JSON-quoted", "order-7").containsEntry("valid", "order-9");
      List<String> fresh = List.of(seen.get("empty"), seen.get("10 kB"), seen.get("forged line"),
          seen.get("invalid UTF-8"), seen.get("two copies"));
      assertThat(fresh).doesNotHaveDuplicates()
          .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-.{4}-.{12}"));

      List<String> warnings = log.warnings();
      assertThat(warnings).hasSize(5)
          .allSatisfy(w -> assertThat(w).contains("Bad correlation ID in header " + HEADER)
              .doesNotContain("\n").doesNotContain("\r").hasSizeLessThan(400));
      assertThat(warnings.get(0)).contains("(empty)", seen.get("empty"));
      assertThat(warnings.get(1)).contains("(too long: 10240 bytes)", "aaaa", "more)",
          seen.get("10 kB"));
      assertThat(warnings.get(2)).contains("\"ok\\x0a12:00:01 INFO [c=admin] payment approved\"",
          seen.get("forged line"));
      assertThat(warnings.get(3)).contains("(not valid UTF-8 or Unicode)", "\"ok\\xc3(\"",
          seen.get("invalid UTF-8"));
      assertThat(warnings.get(4)).contains("more than once", "[\"order-1\", \"order-2\"]",
          seen.get("two copies"));
      assertThat(log.lines("%msg%n")).allSatisfy(line -> assertThat(line.trim()).doesNotContain("\n"));
    }
  }
}
