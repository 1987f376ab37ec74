package dev.correlation.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.testing.CleanThreadExtension;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

@ExtendWith(CleanThreadExtension.class)
class CorrelationRecordInterceptorTest {
  private final CorrelationRecordInterceptor interceptor =
      CorrelationRecordInterceptor.create(KafkaCorrelation.create());

  private static ConsumerRecord<Object, Object> record(String flow, long offset) {
    ConsumerRecord<Object, Object> record = new ConsumerRecord<>("orders", 2, offset, "k", "v");
    record.headers().add("X-Correlation-ID", flow.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  @Test
  void opensTheRecordsFlowUntilAfterRecord() {
    ConsumerRecord<Object, Object> record = record("flow-1", 7);
    assertThat(interceptor.intercept(record, null)).isSameAs(record);
    assertThat(Correlation.currentId()).isEqualTo("flow-1");
    assertThat(MDC.get("message_id")).isEqualTo("orders-2@7");

    interceptor.failure(record, new IllegalStateException("boom"), null);
    assertThat(Correlation.currentId()).as("still open for the error handler").isEqualTo("flow-1");

    interceptor.afterRecord(record, null);
    assertThat(Correlation.currentId()).isNull();
    interceptor.afterRecord(record, null); // a second close changes nothing
    assertThat(MDC.get("correlation_id")).isNull();
  }

  @Test
  void nextRecordClosesAScopeLeftOpen() {
    interceptor.intercept(record("flow-1", 1), null);
    interceptor.intercept(record("flow-2", 2), null);
    assertThat(Correlation.currentId()).isEqualTo("flow-2");
    interceptor.afterRecord(record("flow-2", 2), null);
    assertThat(Correlation.currentId()).as("flow-1 is not back").isNull();
  }

  @Test
  void clearThreadStateClosesAScopeLeftOpen() {
    interceptor.intercept(record("flow-1", 1), null);
    interceptor.clearThreadState(null);
    assertThat(Correlation.currentId()).isNull();
  }

  @Test
  void badHeaderGetsAFreshFlowAndNeverThrows() {
    ConsumerRecord<Object, Object> record = new ConsumerRecord<>("orders", 0, 1L, "k", "v");
    record.headers().add("X-Correlation-ID", "bad id\n".getBytes(StandardCharsets.UTF_8));
    interceptor.intercept(record, null);
    assertThat(Correlation.currentId()).isNotBlank().isNotEqualTo("bad id\n");
    interceptor.afterRecord(record, null);
  }
}
