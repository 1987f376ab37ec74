package dev.correlation.it;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.ScopeDecorator;
import dev.correlation.kafka.KafkaCorrelation;
import dev.correlation.rabbitmq.RabbitCorrelation;
import dev.correlation.sqs.SqsCorrelation;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.logging.log4j.ThreadContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The README snippets that use several modules at once, as they are there, so that the build
 * compiles them against the current API; {@link ReadmeExamplesTest} checks that the README still
 * says the same. The one-module snippets are in each module's own {@code ReadmeExamples}. Not run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);
  private final String value = "v";
  private final byte[] body = new byte[0];

  void sendForAGivenFlow(KafkaCorrelation kafka, ConsumerRecord<String, String> received,
      Producer<String, String> producer, Channel channel, RabbitCorrelation rabbit,
      AMQP.BasicProperties props, SqsClient sqs, SqsCorrelation sqsCorrelation,
      SendMessageRequest request) throws java.io.IOException {
    CorrelationContext flow = kafka.context(received);           // or a context you kept
    producer.send(kafka.inject(new ProducerRecord<>("out", value), flow));          // Kafka
    channel.basicPublish("", "out", rabbit.inject(props, flow), body);           // RabbitMQ
    sqs.sendMessage(sqsCorrelation.inject(request, flow));                         // SQS
  }

  void log4jThreadContextAndATenantKey() {
    // Log4j2 API users (not through SLF4J): write the ID natively to ThreadContext
    ScopeDecorator log4j = context -> {
      String id = context == null ? null : context.correlationId();   // null: a scope of no flow
      String previous = ThreadContext.get("correlation_id");
      if (Objects.equals(previous, id)) return ScopeDecorator.Undo.NONE;
      put("correlation_id", id);                                      // put, or remove for null
      return () -> put("correlation_id", previous);
    };

    // a tenant header into the logs of every message that carries it
    Correlation.configure(CorrelationConfig.builder()
        .captureHeaders("X-Tenant-ID")                                   // read on receive, checked
        .addScopeDecorator(ScopeDecorator.mdcField("X-Tenant-ID", "tenant"))
        .addScopeDecorator(log4j)                                        // .mdcEnabled(false): only yours
        .build());
  }

  private static void put(String key, @org.jspecify.annotations.Nullable String value) {
    if (value == null) {
      ThreadContext.remove(key);
    } else {
      ThreadContext.put(key, value);
    }
  }

  void errorHooks() {
    KafkaCorrelation kafka = KafkaCorrelation.builder()
        .errorHook((record, error) -> log.error("failed at {}", record.offset(), error))
        .build();
    RabbitCorrelation rabbit = RabbitCorrelation.builder()
        .errorHook((delivery, error) -> log.error("failed", error)).build();
    SqsCorrelation sqs = SqsCorrelation.builder()
        .errorHook((message, error) -> log.error("failed", error)).build();
  }
}
