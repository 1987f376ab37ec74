package dev.correlation.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.it.demo.FlowPaths;
import dev.correlation.it.demo.LineRecorder;
import dev.correlation.it.demo.LogLine;
import dev.correlation.it.demo.ShopFlow;
import dev.correlation.it.kafka.KafkaBroker;
import dev.correlation.it.rabbitmq.AmqpBroker;
import dev.correlation.it.sqs.SqsBroker;
import dev.correlation.testing.ThreadChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One business action crosses Kafka, a thread pool, RabbitMQ, a batched SQS send and SQS, in four
 * services with their own threads; 200 of them at once. Everything is asserted from log lines
 * alone, as an operator would search them.
 */
@ExtendWith(BrokersExtension.class)
class EndToEndFlowIT {
  private static final int FLOWS = 200;
  private static final Pattern ORDER = Pattern.compile("order (order-\\d+)");

  @Test
  void everyLogLineOfEachOfTwoHundredConcurrentFlowsCarriesThatFlowsIdAndTheChainRebuilds(
      KafkaBroker kafka, AmqpBroker amqp, SqsBroker sqs) throws Exception {
    List<LogLine> lines;
    try (LineRecorder recorder = new LineRecorder(line -> { });
        ShopFlow shop = ShopFlow.start(kafka, amqp, sqs, true)) {
      for (int i = 0; i < FLOWS; i++) {
        shop.placeOrder("order-" + i);
      }
      assertThat(shop.awaitNotified(FLOWS, Duration.ofMinutes(2)))
          .as("all %d orders reach service D (got %d)", FLOWS, shop.notified()).isTrue();
      assertThat(shop.batches()).as("C sent SQS batches, not one message per call")
          .isLessThan(FLOWS);

      for (Map.Entry<ExecutorService, Integer> pool : shop.pools().entrySet()) {
        ThreadChecks.assertPoolThreadsClean(pool.getKey(), pool.getValue());
      }
      assertThat(shop.leaks()).as("poll and flush threads between batches").isEmpty();
      lines = recorder.lines();
    }

    // 1. every line carries an ID; all lines of one order carry one ID; no two orders share one
    Map<String, Set<String>> idsByOrder = new HashMap<>();
    Map<String, Set<String>> ordersById = new HashMap<>();
    for (LogLine line : lines) {
      assertThat(line.correlationId()).as("correlation ID of %s", line).isNotNull();
      Matcher m = ORDER.matcher(line.message());
      assertThat(m.find()).as("line names its order: %s", line).isTrue();
      idsByOrder.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(line.correlationId());
      ordersById.computeIfAbsent(line.correlationId(), k -> new HashSet<>()).add(m.group(1));
    }
    assertThat(idsByOrder).hasSize(FLOWS);
    assertThat(idsByOrder.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    assertThat(ordersById).hasSize(FLOWS);
    assertThat(ordersById.values()).allSatisfy(orders -> assertThat(orders).hasSize(1));

    // 2. each flow: A, B (twice: poll thread, then its pool), C, D; the chain rebuilds A>B>C>D
    Map<String, List<LogLine>> flows = FlowPaths.byFlow(lines);
    assertThat(flows).hasSize(FLOWS);
    for (List<LogLine> flow : flows.values()) {
      assertThat(flow.stream().map(LogLine::service).sorted().collect(Collectors.toList()))
          .as("services of %s", flow)
          .containsExactly("A-web", "B-payments", "B-payments", "C-shipping", "D-notify");
      LogLine last = flow.stream().filter(l -> l.service().equals("D-notify")).findFirst()
          .orElseThrow();
      List<String> services = new ArrayList<>();
      for (String hop : FlowPaths.path(flow, last)) {
        services.add(hop.split(" ")[0]);
      }
      assertThat(services).as("causal path of %s", flow)
          .containsExactly("A-web", "B-payments", "C-shipping", "D-notify");
      List<LogLine> payments = flow.stream().filter(l -> l.service().equals("B-payments"))
          .collect(Collectors.toList());
      assertThat(payments.get(0).messageId()).as("the pool hop keeps B's message")
          .isEqualTo(payments.get(1).messageId()).matches("orders-.*-\\d+@\\d+");
      assertThat(payments.stream().map(LogLine::thread).distinct()).hasSize(2);
    }
  }
}
