package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** What a handler saw while it ran: the message, and the flow and MDC open on its thread. */
record Seen(String body, @Nullable CorrelationContext context, String mdc, Envelope envelope,
    AMQP.BasicProperties properties) {

  /** Captures the handler thread's state now; call it inside the handler. */
  static Seen now(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    return new Seen(new String(body, StandardCharsets.UTF_8), Correlation.current().orElse(null),
        MDC.get("correlation_id") + " " + MDC.get("message_id") + " " + MDC.get("causation_id"),
        envelope, properties);
  }

  String correlationId() {
    assertThat(context).as("context while handling %s", body).isNotNull();
    return context.correlationId();
  }

  /** Collects what handlers saw, across threads. */
  static final class Inbox {
    private final BlockingQueue<Seen> queue = new LinkedBlockingQueue<>();

    void add(Seen seen) {
      queue.add(seen);
    }

    Seen next() throws InterruptedException {
      Seen seen = queue.poll(15, TimeUnit.SECONDS);
      assertThat(seen).as("a delivery within 15 s").isNotNull();
      return seen;
    }

    List<Seen> next(int count) throws InterruptedException {
      List<Seen> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(next());
      }
      return all;
    }
  }
}
