package dev.correlation.it.sqs;

import static dev.correlation.it.sqs.SqsTestKit.handle;
import static dev.correlation.it.sqs.SqsTestKit.receive;
import static dev.correlation.it.sqs.SqsTestKit.receiveFrom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.it.sqs.SqsTestKit.Handled;
import dev.correlation.it.sqs.SqsTestKit.Kind;
import dev.correlation.it.sqs.SqsTestKit.Sqs;
import dev.correlation.sqs.SqsCorrelation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** A flow through real SQS sends and receives, on the sync and the async SDK client. */
class SqsFlowIT {
  private final SqsTestKit kit = new SqsTestKit();
  private final SqsCorrelation sqs = SqsCorrelation.create(CorrelationConfig.builder().build());

  @AfterEach
  void cleanUp() {
    kit.close();
  }

  private static SendMessageRequest send(String queueUrl, String body) {
    return SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body).build();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void handlerSeesTheSendersIdTheSqsMessageIdAndTheCausationChain(Kind kind) {
    String orders = kit.queue("orders");
    String payments = kit.queue("payments");
    String flow = "order-" + SqsTestKit.shortId();
    try (Sqs client = kind.client(sqs)) {
      SendMessageResponse sent = Correlation.supplyWith(flow,
          () -> client.send(send(orders, "order placed")));

      // hop 1: handle the order, and send the payment request while handling it
      List<Message> received = receive(client, receiveFrom(orders), 1);
      List<Handled> first = new ArrayList<>();
      sqs.forEach(received, m -> {
        first.add(Handled.now(m));
        client.send(send(payments, "charge card"));
      });
      // hop 2
      List<Handled> second = handle(sqs, receive(client, receiveFrom(payments), 1));

      assertThat(first).singleElement().satisfies(h -> {
        assertThat(h.correlationId()).isEqualTo(flow);
        assertThat(h.messageId()).isEqualTo(sent.messageId());
        assertThat(h.contextMessageId()).isEqualTo(sent.messageId());
        assertThat(h.causationId()).isNull();
        assertThat(h.mdc()).isEqualTo(flow + "|" + sent.messageId() + "|null");
      });
      assertThat(second).singleElement().satisfies(h -> {
        assertThat(h.correlationId()).isEqualTo(flow);
        assertThat(h.contextMessageId()).isEqualTo(h.messageId()).isNotEqualTo(sent.messageId());
        assertThat(h.causationId()).isEqualTo(sent.messageId());
        assertThat(h.mdc()).isEqualTo(flow + "|" + h.messageId() + "|" + sent.messageId());
      });
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void receiveThroughTheInterceptorGetsOurAttributesWithoutNamingThem(Kind kind) {
    String queue = kit.queue("names");
    try (Sqs client = kind.client(sqs)) {
      Correlation.runWith(CorrelationContext.of("flow-names", "upstream-1", null),
          () -> client.send(send(queue, "hello").toBuilder().messageAttributes(Map.of(
              "tenant", MessageAttributeValue.builder().dataType("String").stringValue("acme")
                  .build())).build()));

      // SQS returns only what a receive asks for: a plain receive sees none of it...
      Message bare = kit.plain.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(5)
          .visibilityTimeout(0)).messages().get(0);
      // ...the same receive through the interceptor, asking for nothing or for the user's own
      // attribute only, gets ours as well
      Message asked = receive(client, receiveFrom(queue).toBuilder().visibilityTimeout(0).build(),
          1).get(0);
      Message tenantOnly = receive(client, receiveFrom(queue).toBuilder().visibilityTimeout(0)
          .messageAttributeNames("tenant").build(), 1).get(0);

      assertThat(bare.messageAttributes()).isEmpty();
      assertThat(asked.messageAttributes()).containsOnlyKeys("X-Correlation-ID", "X-Causation-ID");
      assertThat(asked.messageAttributes().get("X-Correlation-ID").stringValue())
          .isEqualTo("flow-names");
      assertThat(tenantOnly.messageAttributes())
          .containsOnlyKeys("tenant", "X-Correlation-ID", "X-Causation-ID");
      assertThat(sqs.context(tenantOnly)).isEqualTo(
          CorrelationContext.of("flow-names", tenantOnly.messageId(), "upstream-1"));
    }
  }

  // A prefix wildcard (X-.*) is left alone too (see ReceiveRequestTest), but ElasticMQ 1.6 does not
  // implement SQS prefix wildcards (it matches each attribute name as a regex inside the requested
  // string), so only real SQS can show that such a receive gets ours.
  @Test
  void aReceiveAskingForAllAttributesIsSentAsItIsAndStillGetsOurs() {
    String queue = kit.queue("wildcards");
    try (Sqs client = Kind.SYNC.client(sqs)) {
      Correlation.runWith("flow-wild", () -> client.send(send(queue, "x")));

      for (String asked : List.of("All", ".*")) {
        Message m = receive(client, receiveFrom(queue).toBuilder().visibilityTimeout(0)
            .messageAttributeNames(asked).build(), 1).get(0);
        assertThat(m.messageAttributes()).as(asked).containsOnlyKeys("X-Correlation-ID");
        assertThat(sqs.context(m).correlationId()).as(asked).isEqualTo("flow-wild");
      }
    }
  }

  @Test
  void aBatchOfTenEntriesFromTenFlowsIsHandledEachInItsOwnFlow() throws Exception {
    String queue = kit.queue("batch");
    ExecutorService producers = Executors.newFixedThreadPool(10);
    try (Sqs client = Kind.SYNC.client(sqs)) {
      // ten request threads, each in its own flow, each prepare one entry...
      List<CompletableFuture<SendMessageBatchRequestEntry>> entries = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String flow = "flow-" + i;
        SendMessageBatchRequestEntry entry = SendMessageBatchRequestEntry.builder()
            .id("e" + i).messageBody("body-" + i).build();
        entries.add(CompletableFuture.supplyAsync(
            () -> Correlation.supplyWith(flow, () -> sqs.decorate(entry)), producers));
      }
      List<SendMessageBatchRequestEntry> batch = SqsTestKit.map(entries, CompletableFuture::join);
      // ...and one sender in yet another flow sends them together: every entry keeps its own ID
      var response = Correlation.supplyWith("sender-flow", () -> client.sendBatch(
          SendMessageBatchRequest.builder().queueUrl(queue).entries(batch).build()));

      List<Handled> handled = handle(sqs, receive(client, receiveFrom(queue), 10));

      assertThat(response.failed()).isEmpty();
      Map<String, String> flowOfBody = new HashMap<>();
      for (Handled h : handled) {
        flowOfBody.put(h.body(), h.correlationId());
        assertThat(h.contextMessageId()).isEqualTo(h.messageId());
        assertThat(h.mdc()).startsWith(h.correlationId() + "|" + h.messageId() + "|");
      }
      assertThat(flowOfBody).hasSize(10);
      for (int i = 0; i < 10; i++) {
        assertThat(flowOfBody).containsEntry("body-" + i, "flow-" + i);
      }
    } finally {
      producers.shutdownNow();
    }
  }

  @Test
  void theSdksBatchManagerKeepsEachSendersFlowWhenEachRequestIsDecorated() {
    String queue = kit.queue("batch-manager");
    ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();
    // the batch manager sends from whichever thread flushes: it gets a client without the
    // interceptor, and every request is decorated by its own sender
    try (SqsAsyncClient plainAsync = SqsTestKit.BROKER.asyncClient().build();
        SqsAsyncBatchManager batcher = SqsAsyncBatchManager.builder().client(plainAsync)
            .scheduledExecutor(flusher).build();
        Sqs receiver = Kind.SYNC.client(sqs)) {
      List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String body = "body-" + i;
        sends.add(Correlation.supplyWith(CorrelationContext.of("batched-flow-" + i, "m-" + i, null),
            () -> batcher.sendMessage(sqs.decorate(send(queue, body)))));
      }
      sends.forEach(CompletableFuture::join);

      List<Handled> handled = handle(sqs, receive(receiver, receiveFrom(queue), 5));

      assertThat(handled).hasSize(5).allSatisfy(h -> {
        String n = h.body().substring(5);
        assertThat(h.correlationId()).isEqualTo("batched-flow-" + n);
        assertThat(h.causationId()).isEqualTo("m-" + n);
      });
    } finally {
      flusher.shutdownNow();
    }
  }

  @Test
  void asyncClientCalledFromCompletableFutureStagesOnAnotherExecutorKeepsEachCallersId() {
    String queue = kit.queue("async-chain");
    ExecutorService pool = Correlation.wrap(Executors.newFixedThreadPool(2));
    try (SqsAsyncClient async = SqsTestKit.BROKER.asyncClient()
        .overrideConfiguration(o -> o.addExecutionInterceptor(sqs.executionInterceptor()))
        .build(); Sqs receiver = Kind.SYNC.client(sqs)) {
      List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String flow = "async-flow-" + i;
        String body = "body-" + i;
        // the caller only builds the chain; the send happens later on a pool thread
        sends.add(Correlation.supplyWith(flow, () -> CompletableFuture
            .supplyAsync(() -> body.toUpperCase(java.util.Locale.ROOT), pool)
            .thenCompose(payload -> async.sendMessage(send(queue, payload)))));
      }
      sends.forEach(CompletableFuture::join);

      List<Handled> handled = handle(sqs, receive(receiver, receiveFrom(queue), 6));

      assertThat(handled).hasSize(6).allSatisfy(h ->
          assertThat(h.correlationId()).isEqualTo("async-flow-" + h.body().substring(5)));
    } finally {
      pool.shutdownNow();
    }
  }
}
