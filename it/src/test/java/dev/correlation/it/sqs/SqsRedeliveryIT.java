package dev.correlation.it.sqs;

import static dev.correlation.it.sqs.SqsTestKit.handle;
import static dev.correlation.it.sqs.SqsTestKit.receive;
import static dev.correlation.it.sqs.SqsTestKit.receiveFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.it.sqs.SqsTestKit.Handled;
import dev.correlation.it.sqs.SqsTestKit.Kind;
import dev.correlation.it.sqs.SqsTestKit.Sqs;
import dev.correlation.sqs.SqsCorrelation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** Messages that come back: redelivery, dead-letter queues, FIFO deduplication. */
class SqsRedeliveryIT {
  private final SqsTestKit kit = new SqsTestKit();
  private final SqsCorrelation sqs = SqsCorrelation.create(CorrelationConfig.builder().build());

  @AfterEach
  void cleanUp() {
    kit.close();
  }

  @Test
  void aMessageRedeliveredAfterItsVisibilityTimeoutIsHandledAgainInTheSameFlow() throws Exception {
    String queue = kit.queue("redelivery", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
    try (Sqs client = Kind.SYNC.client(sqs)) {
      Correlation.runWith(CorrelationContext.of("flow-again", "upstream", null), () -> client.send(
          SendMessageRequest.builder().queueUrl(queue).messageBody("retry me").build()));
      var receiveWithCount = receiveFrom(queue).toBuilder()
          .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
          .build();

      // the first attempt fails and the message is not deleted
      List<Handled> attempts = new ArrayList<>();
      assertThatThrownBy(() -> sqs.forEach(receive(client, receiveWithCount, 1), m -> {
        attempts.add(Handled.now(m));
        throw new IllegalStateException("payment service down");
      })).hasMessage("payment service down");
      Thread.sleep(1100);
      List<Message> again = receive(client, receiveWithCount, 1);
      attempts.addAll(handle(sqs, again));

      assertThat(again.get(0).attributes())
          .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
      assertThat(attempts).hasSize(2).allSatisfy(h -> {
        assertThat(h.correlationId()).isEqualTo("flow-again");
        assertThat(h.causationId()).isEqualTo("upstream");
        assertThat(h.contextMessageId()).isEqualTo(attempts.get(0).messageId());
      });
    }
  }

  @Test
  void theDeadLetterConsumerSeesTheOriginalFlow() throws Exception {
    String dlq = kit.queue("orders-dlq");
    String queue = kit.queue("orders", Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "1",
        QueueAttributeName.REDRIVE_POLICY,
        "{\"maxReceiveCount\":\"1\",\"deadLetterTargetArn\":\"" + kit.arn(dlq) + "\"}"));
    try (Sqs client = Kind.ASYNC.client(sqs)) {
      String sentId = Correlation.supplyWith("flow-poison", () -> client.send(
          SendMessageRequest.builder().queueUrl(queue).messageBody("poison").build()))
          .messageId();

      List<Handled> failed = new ArrayList<>();
      assertThatThrownBy(() -> sqs.forEach(receive(client, receiveFrom(queue), 1), m -> {
        failed.add(Handled.now(m));
        throw new IllegalArgumentException("cannot parse");
      })).hasMessage("cannot parse");
      Thread.sleep(1100);
      // the next receive finds the receive count spent and moves the message to the DLQ
      assertThat(client.receive(receiveFrom(queue).toBuilder().waitTimeSeconds(1).build())
          .messages()).isEmpty();
      List<Handled> dead = handle(sqs, receive(client, receiveFrom(dlq), 1));

      assertThat(failed).singleElement().extracting(Handled::correlationId)
          .isEqualTo("flow-poison");
      assertThat(dead).singleElement().satisfies(h -> {
        assertThat(h.body()).isEqualTo("poison");
        assertThat(h.correlationId()).isEqualTo("flow-poison");
        assertThat(h.messageId()).isEqualTo(sentId);
        assertThat(h.contextMessageId()).isEqualTo(sentId);
      });
    }
  }

  @Test
  void aFifoQueueKeepsOrderAndDeduplicationWithOurAttributes() {
    String queue = kit.queue("payments.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
    try (Sqs client = Kind.SYNC.client(sqs)) {
      for (int i = 0; i < 3; i++) {
        int n = i;
        Correlation.runWith("fifo-flow-" + n, () -> client.send(SendMessageRequest.builder()
            .queueUrl(queue).messageBody("step-" + n).messageGroupId("account-7")
            .messageDeduplicationId("dedup-" + n).build()));
      }
      // a retry of step-0 from another flow: same deduplication ID, so SQS drops it
      Correlation.runWith("retrying-flow", () -> client.send(SendMessageRequest.builder()
          .queueUrl(queue).messageBody("step-0").messageGroupId("account-7")
          .messageDeduplicationId("dedup-0").build()));

      List<Message> received = new ArrayList<>();
      var request = receiveFrom(queue).toBuilder()
          .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID).build();
      while (received.size() < 3) {
        List<Message> batch = receive(client, request, 1); // FIFO: the next one after deleting
        assertThat(batch).as("message %s", received.size()).isNotEmpty();
        for (Message m : batch) {
          received.add(m);
          kit.delete(queue, m);
        }
      }
      List<Handled> handled = handle(sqs, received);

      assertThat(handled).extracting(Handled::body).containsExactly("step-0", "step-1", "step-2");
      assertThat(handled).extracting(Handled::correlationId)
          .containsExactly("fifo-flow-0", "fifo-flow-1", "fifo-flow-2");
      assertThat(received).allSatisfy(m -> assertThat(m.attributes())
          .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "account-7"));
      assertThat(client.receive(request.toBuilder().waitTimeSeconds(1).build()).messages())
          .as("the duplicate was dropped").isEmpty();
    }
  }
}
