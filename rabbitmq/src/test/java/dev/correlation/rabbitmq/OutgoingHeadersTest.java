package dev.correlation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.LongString;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The header table handed to BasicProperties: the caller's, with ours laid over it. */
class OutgoingHeadersTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void laysOurHeadersOverCallersWithoutChangingThem() {
    Map<String, Object> caller = new LinkedHashMap<>();
    caller.put("tenant", "acme");
    caller.put("X-Causation-ID", "stale");
    caller.put("void", null);
    OutgoingHeaders headers = new OutgoingHeaders(caller, "X-Correlation-ID");

    OutgoingHeaders.SETTER.set(headers, "X-Correlation-ID", "flow-1", utf8("flow-1"));
    OutgoingHeaders.SETTER.set(headers, "X-Causation-ID", "msg-1", utf8("msg-1"));
    Map<String, Object> copy = new HashMap<>(headers); // what BasicProperties does with it

    assertThat(copy).hasSize(4).containsEntry("tenant", "acme").containsEntry("void", null);
    assertThat(copy.get("X-Causation-ID")).isInstanceOf(LongString.class).hasToString("msg-1");
    assertThat(copy.get("X-Correlation-ID")).hasToString("flow-1");
    assertThat(headers).hasSize(4).isEqualTo(copy);
    assertThat(headers.writtenId()).isEqualTo("flow-1");
    assertThat(caller).containsEntry("X-Causation-ID", "stale").hasSize(3);
  }

  @Test
  void readsCallersHeaderUntilReplaced() {
    OutgoingHeaders headers = new OutgoingHeaders(Map.of("X-Correlation-ID", "caller"),
        "X-Correlation-ID");

    assertThat(OutgoingHeaders.GETTER.get(headers, "X-Correlation-ID")).isEqualTo("caller");
    assertThat(headers.writtenId()).isNull();
    OutgoingHeaders.SETTER.set(headers, "X-Correlation-ID", "ours");
    assertThat(OutgoingHeaders.GETTER.get(headers, "X-Correlation-ID")).isEqualTo("ours");
    assertThat(headers).hasSize(1);
  }

  @Test
  void takesAnyNumberOfHeadersOverNoCallerTable() {
    OutgoingHeaders headers = new OutgoingHeaders(null, "a");

    for (String name : new String[] {"a", "b", "c", "b"}) {
      OutgoingHeaders.SETTER.set(headers, name, name + "-value");
    }

    assertThat(new HashMap<>(headers))
        .isEqualTo(Map.of("a", "a-value", "b", "b-value", "c", "c-value"));
  }
}
