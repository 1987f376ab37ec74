package dev.correlation.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.testing.LogCapture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
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
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The Servlet edge on a real embedded Tomcat, through a real HTTP client, with the
 * auto-configuration as an application gets it.
 */
class ServletEdgeTest {
  static final Pattern UUID = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  /** What the probe filter, outside ours, saw on request threads: must stay empty. */
  static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static ConfigurableApplicationContext app;
  static int port;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  @BeforeAll
  static void start() {
    app = new SpringApplicationBuilder(MvcApp.class)
        .web(WebApplicationType.SERVLET)
        .properties("server.port=0", "spring.main.banner-mode=off",
            // Spring Cloud AWS is on this module's test class path; these apps have no SQS
            "spring.cloud.aws.sqs.enabled=false",
            "logging.level.dev.correlation.spring.web=INFO",
            // ours runs inside the probe filter, which checks the thread around it
            "correlation.web.filter-order=" + (Ordered.HIGHEST_PRECEDENCE + 10))
        .run();
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
    assertThat(LEAKS).as("context or MDC left on a Tomcat thread").isEmpty();
  }

  @BeforeEach
  void clearLeaks() {
    assertThat(LEAKS).as("context or MDC left on a Tomcat thread").isEmpty();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void keepsValidCallerIdInHandlerLogsAndResponse() throws Exception {
    try (LogCapture logs = new LogCapture(Endpoints.class)) {
      HttpResponse<String> response = get("/id", "X-Correlation-ID", "order-42");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue("order-42");
      assertThat(response.body()).isEqualTo("current=order-42 mdc=order-42 header=order-42");
      List<ILoggingEvent> handled = logs.events();
      assertThat(handled).hasSize(1);
      assertThat(handled.get(0).getMDCPropertyMap()).containsEntry("correlation_id", "order-42");
    }
  }

  @Test
  void startsNewFlowWhenHeaderMissingAndReturnsIt() throws Exception {
    HttpResponse<String> response = get("/id");

    String id = response.headers().firstValue("X-Correlation-ID").orElseThrow();
    assertThat(id).matches(UUID);
    assertThat(response.body()).isEqualTo("current=" + id + " mdc=" + id + " header=" + id);
  }

  @Test
  void replacesIdWithLineBreakByFreshOneWarnsEscapedAndReturnsIt() throws Exception {
    try (LogCapture warnings = new LogCapture(dev.correlation.CorrelationPropagator.class)) {
      // obs-fold: the caller's value spans two lines, trying to forge a second log line
      RawHttp response = RawHttp.get(port, "/id",
          "X-Correlation-ID: order-42", " 12:00:00 INFO forged line");

      assertThat(response.status).isEqualTo(200);
      String id = response.header("X-Correlation-ID");
      assertThat(id).matches(UUID);
      // update-request-header: the application sees the replacement, not what the caller sent
      assertThat(response.body).isEqualTo("current=" + id + " mdc=" + id + " header=" + id);
      assertThat(warnings.warnings()).singleElement().satisfies(w -> {
        assertThat(w).contains("X-Correlation-ID").contains(id).doesNotContain("\r", "\n");
      });
    }
  }

  @Test
  void bareCarriageReturnOrLineFeedIsRefusedByTomcatBeforeAnyFilter() throws Exception {
    // the README says so: the only CR/LF that reaches the application is a folded header
    assertThat(RawHttp.get(port, "/id", "X-Correlation-ID: order-42\rforged").status)
        .isEqualTo(400);
    assertThat(RawHttp.get(port, "/id", "X-Correlation-ID: order-42\nforged").status)
        .isEqualTo(400);
  }

  @Test
  void errorResponseCarriesIdInHeaderAndBody() throws Exception {
    HttpResponse<String> response = get("/boom", "X-Correlation-ID", "order-43");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("X-Correlation-ID")).hasValue("order-43");
    assertThat(response.body()).contains("\"correlationId\":\"order-43\"");
  }

  @Test
  void corsResponseExposesHeaderNextToTheApplicationsOwn() throws Exception {
    HttpResponse<String> response = get("/id", "Origin", "http://shop.test",
        "X-Correlation-ID", "order-44");

    assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://shop.test");
    List<String> exposed = new ArrayList<>();
    response.headers().allValues("Access-Control-Expose-Headers")
        .forEach(v -> Arrays.stream(v.split(",")).map(String::trim).forEach(exposed::add));
    assertThat(exposed).contains("X-Other", "X-Correlation-ID");
  }

  @Test
  void sameOriginResponseHasNoExposeHeader() throws Exception {
    HttpResponse<String> response = get("/id", "X-Correlation-ID", "order-45");

    assertThat(response.headers().allValues("Access-Control-Expose-Headers")).isEmpty();
  }

  @Test
  void restClientCallCarriesTheRequestsFlow() throws Exception {
    HttpResponse<String> response = get("/via-rest-client", "X-Correlation-ID", "order-46");

    assertThat(response.body()).isEqualTo("downstream saw order-46");
  }

  @Test
  void restTemplateCallCarriesTheRequestsFlow() throws Exception {
    HttpResponse<String> response = get("/via-rest-template", "X-Correlation-ID", "order-47");

    assertThat(response.body()).isEqualTo("downstream saw order-47");
  }

  @Test
  void restClientCallInsideAScopeOnAnyThreadCarriesThatFlow() {
    RestClient restClient = app.getBean(RestClient.Builder.class).build();

    String seen = Correlation.supplyWith("batch-7", () -> restClient.get()
        .uri("http://127.0.0.1:" + port + "/echo").retrieve().body(String.class));

    assertThat(seen).isEqualTo("downstream saw batch-7");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Endpoints.class)
  static class MvcApp implements WebMvcConfigurer {
    @Override
    public void addCorsMappings(CorsRegistry registry) {
      registry.addMapping("/**").allowedOrigins("http://shop.test").exposedHeaders("X-Other");
    }

    /**
     * The defaults, as an instance of this application's own: its WARN rate limit is not shared
     * with other tests in this JVM (the process-wide default's is).
     */
    @Bean
    CorrelationConfig correlationConfig() {
      return CorrelationConfig.builder().build();
    }

    @Bean
    FilterRegistrationBean<Filter> probe() {
      FilterRegistrationBean<Filter> probe = new FilterRegistrationBean<>((req, res, chain) -> {
        check("before");
        try {
          chain.doFilter(req, res);
        } finally {
          check("after");
        }
      });
      probe.setOrder(Ordered.HIGHEST_PRECEDENCE);
      probe.setDispatcherTypes(DispatcherType.REQUEST);
      return probe;
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
    private final RestClient restClient;
    private final RestTemplate restTemplate;
    private final Environment environment;

    Endpoints(RestClient.Builder restClient, RestTemplateBuilder restTemplate,
        Environment environment) {
      this.restClient = restClient.build();
      this.restTemplate = restTemplate.build();
      this.environment = environment;
    }

    private String self() {
      return "http://127.0.0.1:" + environment.getProperty("local.server.port");
    }

    @GetMapping("/id")
    String id(@RequestHeader(name = "X-Correlation-ID", required = false) String header) {
      LOG.info("handling");
      return "current=" + Correlation.currentId() + " mdc=" + MDC.get("correlation_id")
          + " header=" + header;
    }

    @GetMapping("/boom")
    String boom() {
      throw new IllegalStateException("boom");
    }

    @GetMapping("/echo")
    String echo(@RequestHeader(name = "X-Correlation-ID", required = false) String header) {
      return "downstream saw " + header;
    }

    @GetMapping("/via-rest-client")
    String viaRestClient() {
      return restClient.get().uri(self() + "/echo").retrieve().body(String.class);
    }

    @GetMapping("/via-rest-template")
    String viaRestTemplate() throws IOException {
      return restTemplate.getForObject(self() + "/echo", String.class);
    }
  }
}
