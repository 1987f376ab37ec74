package dev.correlation.it.sqs;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.sqs.SqsCorrelation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** Queues, clients and handler records shared by the SQS integration tests. */
final class SqsTestKit implements AutoCloseable {
  static final SqsBroker BROKER = SqsBroker.shared();

  /** A plain sync client: no interceptor, for queue admin and for "foreign" senders. */
  final SqsClient plain = BROKER.syncClient().build();
  private final List<String> created = new ArrayList<>();

  /** A new queue with a unique name (FIFO when {@code name} ends in .fifo). */
  String queue(String name, Map<QueueAttributeName, String> attributes) {
    String unique = name.endsWith(".fifo")
        ? name.substring(0, name.length() - 5) + "-" + shortId() + ".fifo"
        : name + "-" + shortId();
    String url = plain.createQueue(b -> b.queueName(unique).attributes(attributes)).queueUrl();
    created.add(url);
    return url;
  }

  String queue(String name) {
    return queue(name, Map.of());
  }

  String arn(String queueUrl) {
    return plain.getQueueAttributes(b -> b.queueUrl(queueUrl)
        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  /** Messages in the queue, visible or in flight, as the server counts them. */
  int count(String queueUrl) {
    Map<QueueAttributeName, String> a = plain.getQueueAttributes(b -> b.queueUrl(queueUrl)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return a.values().stream().mapToInt(Integer::parseInt).sum();
  }

  static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Receives until {@code expected} messages arrived (or 20 s passed), deleting none: each test
   * decides what happens to them.
   */
  static List<Message> receive(Sqs client, ReceiveMessageRequest request, int expected) {
    List<Message> all = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (all.size() < expected && System.nanoTime() < deadline) {
      all.addAll(client.receive(request.toBuilder().maxNumberOfMessages(10).waitTimeSeconds(1)
          .build()).messages());
    }
    return all;
  }

  static ReceiveMessageRequest receiveFrom(String queueUrl) {
    return ReceiveMessageRequest.builder().queueUrl(queueUrl).build();
  }

  void delete(String queueUrl, Message message) {
    plain.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
  }

  @Override
  public void close() {
    for (String url : created) {
      try {
        plain.deleteQueue(b -> b.queueUrl(url));
      } catch (RuntimeException e) {
        // already gone: nothing to clean
      }
    }
    plain.close();
  }

  /** What a handler saw: the message and the flow it ran in, MDC included. */
  record Handled(String body, String messageId, String correlationId,
      String contextMessageId, String causationId, String mdc) {
    static Handled now(Message m) {
      CorrelationContext ctx = Correlation.current().orElseThrow();
      return new Handled(m.body(), m.messageId(), ctx.correlationId(), ctx.messageId(),
          ctx.causationId(), MDC.get("correlation_id") + "|" + MDC.get("message_id") + "|"
              + MDC.get("causation_id"));
    }
  }

  /** Handles every message in its own flow and returns what each handler saw. */
  static List<Handled> handle(SqsCorrelation sqs, List<Message> messages) {
    List<Handled> seen = new ArrayList<>();
    sqs.forEach(messages, m -> seen.add(Handled.now(m)));
    return seen;
  }

  /** The sync and the async client behind one face, so that a test can run on both. */
  interface Sqs extends AutoCloseable {
    SendMessageResponse send(SendMessageRequest request);

    SendMessageBatchResponse sendBatch(SendMessageBatchRequest request);

    ReceiveMessageResponse receive(ReceiveMessageRequest request);

    @Override
    void close();
  }

  /** Which SDK client a test runs on. */
  enum Kind {
    SYNC, ASYNC;

    /** A client of this kind with {@code sqs}'s interceptor. */
    Sqs client(SqsCorrelation sqs) {
      if (this == SYNC) {
        SqsClient c = BROKER.syncClient()
            .overrideConfiguration(o -> o.addExecutionInterceptor(sqs.executionInterceptor()))
            .build();
        return new Sqs() {
          @Override
          public SendMessageResponse send(SendMessageRequest request) {
            return c.sendMessage(request);
          }

          @Override
          public SendMessageBatchResponse sendBatch(SendMessageBatchRequest request) {
            return c.sendMessageBatch(request);
          }

          @Override
          public ReceiveMessageResponse receive(ReceiveMessageRequest request) {
            return c.receiveMessage(request);
          }

          @Override
          public void close() {
            c.close();
          }
        };
      }
      SqsAsyncClient c = BROKER.asyncClient()
          .overrideConfiguration(o -> o.addExecutionInterceptor(sqs.executionInterceptor()))
          .build();
      return new Sqs() {
        @Override
        public SendMessageResponse send(SendMessageRequest request) {
          return join(c.sendMessage(request));
        }

        @Override
        public SendMessageBatchResponse sendBatch(SendMessageBatchRequest request) {
          return join(c.sendMessageBatch(request));
        }

        @Override
        public ReceiveMessageResponse receive(ReceiveMessageRequest request) {
          return join(c.receiveMessage(request));
        }

        @Override
        public void close() {
          c.close();
        }
      };
    }
  }

  /** The future's value, or its failure as thrown by the sync client. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw e;
    }
  }

  static <T, R> List<R> map(List<T> items, Function<T, R> f) {
    List<R> out = new ArrayList<>(items.size());
    for (T item : items) {
      out.add(f.apply(item));
    }
    return out;
  }
}
