package dev.correlation.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The W3C headers through Kafka's byte-valued headers, with no change to this module. */
class KafkaW3cHeadersTest {
  @Test
  void interceptorMergesOurMemberIntoTheBaggageHeader() {
    CorrelationProducerInterceptor<String, String> interceptor =
        new CorrelationProducerInterceptor<>();
    interceptor.configure(Map.of("correlation.baggage", "write"));
    ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "v");
    record.headers().add("baggage", "tenant=acme".getBytes(UTF_8));
    Correlation.runWith("order-42", () -> interceptor.onSend(record));
    assertThat(CorrelationProducerInterceptorTest.values(record.headers(), "baggage"))
        .containsExactly("tenant=acme,correlation_id=order-42");
    assertThat(CorrelationProducerInterceptorTest.values(record.headers(), "X-Correlation-ID"))
        .containsExactly("order-42");
  }

  @Test
  void consumerReadsTheIdFromBaggageThenTraceparentWhenOurHeaderIsAbsent() {
    KafkaCorrelation kafka = KafkaCorrelation.create(CorrelationConfig.fromMap(Map.of(
        "correlation.baggage", "read", "correlation.traceparent", "read")));
    ConsumerRecord<String, String> both = new ConsumerRecord<>("orders", 0, 7, "k", "v");
    both.headers().add("traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(UTF_8));
    both.headers().add("baggage", "correlation_id=order-42".getBytes(UTF_8));
    assertThat(kafka.context(both).correlationId()).isEqualTo("order-42");
    assertThat(kafka.context(both).messageId()).isEqualTo("orders-0@7");

    ConsumerRecord<String, String> traceOnly = new ConsumerRecord<>("orders", 0, 8, "k", "v");
    traceOnly.headers().add("traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(UTF_8));
    assertThat(kafka.context(traceOnly).correlationId())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }
}
