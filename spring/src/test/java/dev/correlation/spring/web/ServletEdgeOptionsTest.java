package dev.correlation.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.correlation.Correlation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The non-default settings of the Servlet edge, on a real Tomcat. */
class ServletEdgeOptionsTest {
  static ConfigurableApplicationContext app;
  static int port;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  @BeforeAll
  static void start() {
    app = new SpringApplicationBuilder(OptionsApp.class)
        .web(WebApplicationType.SERVLET)
        .properties("server.port=0", "spring.main.banner-mode=off",
            // Spring Cloud AWS is on this module's test class path; these apps have no SQS
            "spring.cloud.aws.sqs.enabled=false",
            "correlation.web.update-request-header=false",
            "correlation.web.expose-header=false",
            "correlation.web.error-attribute=requestId")
        .run();
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
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
  void withoutUpdateRequestHeaderTheApplicationSeesWhatTheCallerSentButRunsInTheFreshFlow()
      throws Exception {
    HttpResponse<String> response = get("/id", "X-Correlation-ID", "not valid!");

    String id = response.headers().firstValue("X-Correlation-ID").orElseThrow();
    assertThat(id).matches(ServletEdgeTest.UUID);
    assertThat(response.body()).isEqualTo("current=" + id + " header=not valid!");
  }

  @Test
  void withoutExposeHeaderCorsResponsesListOnlyTheApplicationsNames() throws Exception {
    HttpResponse<String> response = get("/id", "Origin", "http://shop.test");

    assertThat(response.headers().allValues("Access-Control-Expose-Headers"))
        .containsExactly("X-Other");
  }

  @Test
  void asyncDispatchReopensTheSameFlowInsteadOfStartingAnother() throws Exception {
    HttpResponse<String> response = get("/async");

    String id = response.headers().firstValue("X-Correlation-ID").orElseThrow();
    assertThat(id).matches(ServletEdgeTest.UUID);
    // without update-request-header a second extract would make a second ID: the filter must
    // reopen the stored flow. The Callable itself runs on Spring's task executor, which this
    // module does not wrap.
    assertThat(response.body()).isEqualTo("request thread=" + id + " task=null");
  }

  @Test
  void errorBodyUsesTheConfiguredName() throws Exception {
    HttpResponse<String> response = get("/boom", "X-Correlation-ID", "order-9");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("\"requestId\":\"order-9\"")
        .doesNotContain("correlationId");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Endpoints.class)
  static class OptionsApp implements WebMvcConfigurer {
    @Override
    public void addCorsMappings(CorsRegistry registry) {
      registry.addMapping("/**").allowedOrigins("http://shop.test").exposedHeaders("X-Other");
    }
  }

  @RestController
  static class Endpoints {
    @GetMapping("/id")
    String id(@RequestHeader(name = "X-Correlation-ID", required = false) String header) {
      return "current=" + Correlation.currentId() + " header=" + header;
    }

    @GetMapping("/async")
    Callable<String> async() {
      String onRequestThread = Correlation.currentId();
      return () -> "request thread=" + onRequestThread + " task=" + Correlation.currentId();
    }

    @GetMapping("/boom")
    String boom() {
      throw new IllegalStateException("boom");
    }
  }
}
