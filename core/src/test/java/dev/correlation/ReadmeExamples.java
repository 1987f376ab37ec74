package dev.correlation;

import dev.correlation.Correlation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's core snippets (quick start, configuration), as they are there, so that the build
 * compiles them against the current API; the it module's ReadmeExamplesTest checks that the README
 * still says the same. Not run.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);
  private final Producer producer = r -> { };
  private final Object record = new Object();
  private final String requestIdOrNewOne = "request-1";
  private final FilterChain chain = (request, response) -> { };
  private final HttpRequest request = name -> null;
  private final HttpResponse response = (name, value) -> { };
  private final AsyncClient sqsAsync = r -> CompletableFuture.completedFuture(r);

  void quickStart() throws Exception {
    // At the edge (an HTTP request, a scheduled job): start a flow, or continue the caller's.
    Correlation.runWith(Correlation.newId(), () -> {
      log.info("order accepted");           // MDC correlation_id is set while this runs
      producer.send(record);                  // broker modules write the ID into the message
    });

    // Or with a scope, e.g. in a servlet filter:
    try (Scope scope = Correlation.open(requestIdOrNewOne)) {
      chain.doFilter(request, response);
    }                                         // previous context and MDC values are restored

    String id = Correlation.currentId();     // null outside any flow
  }

  void quickStartAtAnEdge() {
    // At an edge (an HTTP request, a job's parameters): continue the caller's flow, or start one.
    // The incoming ID is checked exactly like a broker header: a bad one (CR/LF, too long, ...)
    // is replaced by a fresh ID with a rate-limited WARN; null starts a new flow.
    try (Scope scope = Correlation.continueOrStart(request.getHeader("X-Correlation-ID"))) {
      response.setHeader("X-Correlation-ID", Correlation.currentId());
      log.info("order accepted");           // MDC correlation_id is set while the scope is open
      producer.send(record);                  // broker modules write the ID into the message
    }                                         // previous context and MDC values are restored

    // A flow of your own making (a scheduled job): no ID from outside, nothing to check.
    Correlation.runWith(Correlation.newId(), () -> nightlyReport());

    String id = Correlation.currentId();     // null outside any flow
  }

  void threadPools() {
    ExecutorService pool = Correlation.wrap(Executors.newFixedThreadPool(8));
    pool.submit(() -> log.info("same flow, other thread"));

    // CompletableFuture stages run in the flow when given the wrapped executor:
    CompletableFuture.supplyAsync(this::load, pool).thenApplyAsync(this::enrich, pool);

    Runnable task = Correlation.wrap(() -> work());   // single tasks too; Callable as well
  }

  void captureTheFlowYourself(ExecutorService pool, String request) {
    CorrelationContext flow = Correlation.current().orElseThrow();
    sqsAsync.sendMessage(request)
        .thenApplyAsync(r -> Correlation.supplyWith(flow, () -> record(r)), pool);
  }

  void configuration() {
    Correlation.configure(CorrelationConfig.builder()
        .generator(IdGenerator.uuidV7())
        .headerName("X-Request-ID")
        .build());
  }

  private String load() {
    return "order";
  }

  private String enrich(String order) {
    return order;
  }

  private void work() {}

  private void nightlyReport() {}

  private String record(String result) {
    return result;
  }

  /** Stands for a Kafka producer, an AMQP channel, an SQS client. */
  interface Producer {
    void send(Object record);
  }

  /** Stands for a servlet filter chain. */
  interface FilterChain {
    void doFilter(Object request, Object response) throws Exception;
  }

  /** Stands for a servlet request. */
  interface HttpRequest {
    @org.jspecify.annotations.Nullable String getHeader(String name);
  }

  /** Stands for a servlet response. */
  interface HttpResponse {
    void setHeader(String name, @org.jspecify.annotations.Nullable String value);
  }

  /** Stands for the SDK's SqsAsyncClient. */
  interface AsyncClient {
    CompletableFuture<String> sendMessage(String request);
  }
}
