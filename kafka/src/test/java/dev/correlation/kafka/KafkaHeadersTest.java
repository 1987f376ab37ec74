package dev.correlation.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaHeadersTest {
  private final RecordHeaders headers = new RecordHeaders();

  @Test
  void readsAbsentHeaderAsNull() {
    headers.add("other", bytes("x"));

    assertThat(KafkaHeaders.GETTER.get(headers, "X-Correlation-ID")).isNull();
  }

  @Test
  void readsSingleHeaderAsItsOwnBytes() {
    byte[] value = bytes("order-42");
    headers.add("other", bytes("x"));
    headers.add("X-Correlation-ID", value);

    assertThat(KafkaHeaders.GETTER.get(headers, "X-Correlation-ID")).isSameAs(value);
  }

  @Test
  void readsRepeatedHeaderAsListInRecordOrder() {
    headers.add("X-Correlation-ID", bytes("a"));
    headers.add("other", bytes("x"));
    headers.add("X-Correlation-ID", bytes("b"));
    headers.add("X-Correlation-ID", bytes("a"));

    Object raw = KafkaHeaders.GETTER.get(headers, "X-Correlation-ID");

    assertThat(raw).isInstanceOf(List.class);
    assertThat(strings((List<?>) raw)).containsExactly("a", "b", "a");
  }

  @Test
  void readsHeaderWithoutValueAsEmpty() {
    headers.add("X-Correlation-ID", null);

    assertThat((byte[]) KafkaHeaders.GETTER.get(headers, "X-Correlation-ID")).isEmpty();
  }

  @Test
  void matchesHeaderNamesExactlyAsKafkaDoes() {
    headers.add("x-correlation-id", bytes("lower"));

    assertThat(KafkaHeaders.GETTER.get(headers, "X-Correlation-ID")).isNull();
  }

  @Test
  void setterReplacesEveryCopyAndLeavesOtherHeaders() {
    headers.add("X-Correlation-ID", bytes("old-1"));
    headers.add("other", bytes("x"));
    headers.add("X-Correlation-ID", bytes("old-2"));
    byte[] utf8 = bytes("order-42");

    assertThat(KafkaHeaders.SETTER.set(headers, "X-Correlation-ID", "order-42", utf8)).isTrue();

    List<String> keys = new ArrayList<>();
    for (Header header : headers) {
      keys.add(header.key());
    }
    assertThat(keys).containsExactly("other", "X-Correlation-ID");
    assertThat(headers.lastHeader("X-Correlation-ID").value()).isSameAs(utf8);
  }

  @Test
  void setterEncodesStringsAsUtf8() {
    KafkaHeaders.SETTER.set(headers, "X-Correlation-ID", "bestellung-ü");

    assertThat(headers.lastHeader("X-Correlation-ID").value()).isEqualTo(bytes("bestellung-ü"));
  }

  @Test
  void setterOnSentRecordsHeadersThrowsIllegalState() {
    headers.setReadOnly(); // what KafkaProducer does to a record it sends

    assertThatThrownBy(() -> KafkaHeaders.SETTER.set(headers, "X-Correlation-ID", "order-42"))
        .isInstanceOf(IllegalStateException.class);
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<String> strings(List<?> values) {
    List<String> out = new ArrayList<>();
    for (Object value : values) {
      out.add(new String((byte[]) value, UTF_8));
    }
    return out;
  }
}
