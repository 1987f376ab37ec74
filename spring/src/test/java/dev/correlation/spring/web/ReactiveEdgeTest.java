package dev.correlation.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.CorsRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The WebFlux edge on a real Reactor Netty server, through a real HTTP client, with the
 * auto-configuration as an application gets it, and the application's own {@link
 * CorrelationConfig} (header {@code X-Request-ID}).
 */
class ReactiveEdgeTest {
  static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static ConfigurableApplicationContext app;
  static int port;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  @BeforeAll
  static void start() {
    app = new SpringApplicationBuilder(FluxApp.class)
        .web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "spring.main.banner-mode=off",
            // Spring Cloud AWS is on this module's test class path; these apps have no SQS
            "spring.cloud.aws.sqs.enabled=false",
            "logging.level.dev.correlation.spring.web=INFO",
            "correlation.web.filter-order=" + (Ordered.HIGHEST_PRECEDENCE + 10))
        .run();
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
    assertThat(LEAKS).as("context or MDC left on a Netty thread").isEmpty();
  }

  @BeforeEach
  void noLeaks() {
    assertThat(LEAKS).as("context or MDC left on a Netty thread").isEmpty();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void keepsValidCallerIdInHandlerLogsReactorContextAndResponse() throws Exception {
    try (LogCapture logs = new LogCapture(Endpoints.class)) {
      HttpResponse<String> response = get("/id", "X-Request-ID", "order-42");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("X-Request-ID")).hasValue("order-42");
      assertThat(response.body())
          .isEqualTo("current=order-42 mdc=order-42 header=order-42 reactor=order-42");
      List<ILoggingEvent> handled = logs.events();
      assertThat(handled).hasSize(1);
      assertThat(handled.get(0).getMDCPropertyMap()).containsEntry("correlation_id", "order-42");
    }
  }

  @Test
  void startsNewFlowWhenHeaderMissingAndReturnsIt() throws Exception {
    HttpResponse<String> response = get("/id");

    String id = response.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(id).matches(ServletEdgeTest.UUID);
    assertThat(response.body())
        .isEqualTo("current=" + id + " mdc=" + id + " header=" + id + " reactor=" + id);
  }

  @Test
  void replacesFoldedIdByFreshOneWarnsEscapedAndReturnsIt() throws Exception {
    try (LogCapture warnings = new LogCapture(dev.correlation.CorrelationPropagator.class)) {
      RawHttp response = RawHttp.get(port, "/id",
          "X-Request-ID: order-42", " 12:00:00 INFO forged line");

      assertThat(response.status).isEqualTo(200);
      String id = response.header("X-Request-ID");
      assertThat(id).matches(ServletEdgeTest.UUID);
      assertThat(response.body)
          .isEqualTo("current=" + id + " mdc=" + id + " header=" + id + " reactor=" + id);
      assertThat(warnings.warnings()).singleElement().satisfies(w ->
          assertThat(w).contains("X-Request-ID").contains(id).doesNotContain("\r", "\n"));
    }
  }

  @Test
  void bareCarriageReturnOrLineFeedIsRefusedByNettyBeforeAnyFilter() throws Exception {
    // the README says so: the only CR/LF that reaches the application is a folded header
    assertThat(RawHttp.get(port, "/id", "X-Request-ID: order-42\rforged").status).isEqualTo(400);
    assertThat(RawHttp.get(port, "/id", "X-Request-ID: order-42\nforged").status).isEqualTo(400);
  }

  @Test
  void errorResponseCarriesIdInHeaderAndBody() throws Exception {
    HttpResponse<String> response = get("/boom", "X-Request-ID", "order-43");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("X-Request-ID")).hasValue("order-43");
    assertThat(response.body()).contains("\"correlationId\":\"order-43\"");
  }

  @Test
  void corsResponseExposesHeaderNextToTheApplicationsOwn() throws Exception {
    HttpResponse<String> response = get("/id", "Origin", "http://shop.test",
        "X-Request-ID", "order-44");

    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://shop.test");
    List<String> exposed = new ArrayList<>();
    response.headers().allValues("Access-Control-Expose-Headers")
        .forEach(v -> Arrays.stream(v.split(",")).map(String::trim).forEach(exposed::add));
    assertThat(exposed).contains("X-Other", "X-Request-ID");
  }

  @Test
  void webClientCallAfterAThreadHopCarriesTheRequestsFlow() throws Exception {
    HttpResponse<String> response = get("/via-web-client", "X-Request-ID", "order-45");

    assertThat(response.body()).isEqualTo("downstream saw order-45 on another thread");
  }

  @Test
  void webClientCallSubscribedInsideAScopeCarriesThatFlow() {
    WebClient webClient = app.getBean(WebClient.Builder.class).build();

    String seen = Correlation.supplyWith("batch-7", () -> webClient.get()
        .uri("http://127.0.0.1:" + port + "/echo").retrieve().bodyToMono(String.class)
        .block(Duration.ofSeconds(30)));

    assertThat(seen).isEqualTo("downstream saw batch-7");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Endpoints.class)
  static class FluxApp implements WebFluxConfigurer {
    @Override
    public void addCorsMappings(CorsRegistry registry) {
      registry.addMapping("/**").allowedOrigins("http://shop.test").exposedHeaders("X-Other");
    }

    @Bean
    CorrelationConfig correlationConfig() {
      return CorrelationConfig.builder().headerName("X-Request-ID").build();
    }

    /** Outside ours: the server thread must be clean when a request starts and when it leaves. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebFilter probe() {
      return (exchange, chain) -> Mono.fromDirect(subscriber -> {
        check("before");
        chain.filter(exchange).subscribe(subscriber);
        check("after");
      });
    }

    private static void check(String when) {
      if (Correlation.current().isPresent() || MDC.get("correlation_id") != null) {
        LEAKS.add(when + " a request on " + Thread.currentThread().getName() + ": "
            + Correlation.current() + " / " + MDC.get("correlation_id"));
      }
    }
  }

  @RestController
  static class Endpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
    private final WebClient webClient;
    private final Environment environment;

    Endpoints(WebClient.Builder webClient, Environment environment) {
      this.webClient = webClient.build();
      this.environment = environment;
    }

    @GetMapping("/id")
    Mono<String> id(@RequestHeader(name = "X-Request-ID", required = false) String header) {
      LOG.info("handling");
      String seen = "current=" + Correlation.currentId() + " mdc=" + MDC.get("correlation_id")
          + " header=" + header;
      return Mono.deferContextual(c -> Mono.just(seen + " reactor="
          + c.<CorrelationContext>getOrEmpty(HttpCorrelation.REACTOR_CONTEXT_KEY)
              .map(CorrelationContext::correlationId).orElse(null)));
    }

    @GetMapping("/boom")
    Mono<String> boom() {
      return Mono.error(new IllegalStateException("boom"));
    }

    @GetMapping("/echo")
    String echo(@RequestHeader(name = "X-Request-ID", required = false) String header) {
      return "downstream saw " + header;
    }

    @GetMapping("/via-web-client")
    Mono<String> viaWebClient() {
      String serverThread = Thread.currentThread().getName();
      // Mono.delay continues on a parallel-scheduler thread, where no thread-local flow is open
      return Mono.delay(Duration.ofMillis(5))
          .flatMap(tick -> webClient.get()
              .uri("http://127.0.0.1:" + environment.getProperty("local.server.port") + "/echo")
              .retrieve().bodyToMono(String.class)
              .map(body -> Thread.currentThread().getName().equals(serverThread)
                  ? body + " on the same thread" : body + " on another thread"));
    }
  }
}
