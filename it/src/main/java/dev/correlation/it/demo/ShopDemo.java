package dev.correlation.it.demo;

import dev.correlation.it.kafka.KafkaBroker;
import dev.correlation.it.rabbitmq.AmqpBroker;
import dev.correlation.it.sqs.SqsBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo: the same four services twice, once without the library and once with it, a handful of
 * orders each, printing their log lines as they happen; then each flow's path, rebuilt from the
 * logs alone. Uses the brokers {@link dev.correlation.it.BrokerSelection} finds (in-JVM Kafka and
 * SQS, the local RabbitMQ or an in-JVM AMQP broker, unless addresses are given), and exits.
 *
 * <pre>mvn -B -q -Pdemo -pl it -am package</pre>
 */
public final class ShopDemo {
  private static final int ORDERS = 4;

  private ShopDemo() {}

  public static void main(String[] args) throws Exception {
    int status = 1;
    try {
      run();
      status = 0;
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
    } finally {
      System.out.flush();
      // Embedded brokers keep non-daemon threads; their shutdown hooks stop them and clean up.
      Runtime.getRuntime().halt(exitAfterHooks(status));
    }
  }

  private static int exitAfterHooks(int status) {
    Thread exit = new Thread(() -> System.exit(status));
    exit.start();
    try {
      exit.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return status;
  }

  private static void run() throws Exception {
    System.out.println("== One business flow across Kafka -> RabbitMQ -> SQS, four services ==");
    KafkaBroker kafka = KafkaBroker.shared();
    AmqpBroker amqp = AmqpBroker.shared();
    SqsBroker sqs = SqsBroker.shared();

    System.out.println();
    System.out.println("-- BEFORE: the services as they are, " + ORDERS + " orders at once. "
        + "Which lines belong to which order? --");
    runShop(kafka, amqp, sqs, false);

    System.out.println();
    System.out.println("-- AFTER: the same services with the library wired in "
        + "(%X{correlation_id} %X{message_id} %X{causation_id} in the pattern) --");
    List<LogLine> lines = runShop(kafka, amqp, sqs, true);

    System.out.println();
    System.out.println("-- Each flow's path, rebuilt from the log lines alone "
        + "(causation_id -> message_id) --");
    for (Map.Entry<String, List<LogLine>> flow : FlowPaths.byFlow(lines).entrySet()) {
      List<LogLine> flowLines = flow.getValue();
      LogLine last = flowLines.get(flowLines.size() - 1);
      for (LogLine line : flowLines) {
        if (line.service().equals("D-notify")) {
          last = line;
        }
      }
      System.out.println("  " + flow.getKey() + ":  " + String.join("  ->  ",
          FlowPaths.path(flowLines, last)));
    }
    System.out.println();
    System.out.println("One search for a correlation_id returns every line of that order, in every "
        + "service.");
  }

  private static List<LogLine> runShop(KafkaBroker kafka, AmqpBroker amqp, SqsBroker sqs,
      boolean withLibrary) throws Exception {
    try (LineRecorder recorder = new LineRecorder(
            line -> System.out.println("  " + line.render(withLibrary)));
        ShopFlow shop = ShopFlow.start(kafka, amqp, sqs, withLibrary)) {
      for (int i = 1; i <= ORDERS; i++) {
        shop.placeOrder("order-" + (withLibrary ? 100 + i : i));
      }
      if (!shop.awaitNotified(ORDERS, Duration.ofSeconds(30))) {
        throw new AssertionError("only " + shop.notified() + " of " + ORDERS
            + " orders got through");
      }
      return recorder.lines();
    }
  }
}
