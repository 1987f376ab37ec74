package dev.correlation.spring.web;

import dev.correlation.CorrelationContext;
import org.springframework.core.Ordered;

/**
 * Names shared by the Servlet and WebFlux sides of the HTTP edge, for code that reads the flow of
 * a request without the thread-local {@link dev.correlation.Correlation#current()}: error handlers
 * running after the request's scope is closed, reactive code on another thread.
 *
 * <p>Constants only; thread safe.
 */
public final class HttpCorrelation {
  /**
   * Name of the request attribute (Servlet) and exchange attribute (WebFlux) holding the
   * {@link CorrelationContext} of the request, set before the rest of the chain runs.
   */
  public static final String CONTEXT_ATTRIBUTE = CorrelationContext.class.getName();

  /**
   * Key of the {@link CorrelationContext} in the Reactor {@code Context} of a WebFlux request:
   * {@code Mono.deferContextual(c -> ... c.get(HttpCorrelation.REACTOR_CONTEXT_KEY) ...)}.
   */
  public static final Class<CorrelationContext> REACTOR_CONTEXT_KEY = CorrelationContext.class;

  /** Default name of the correlation ID in Spring Boot's error body. */
  public static final String DEFAULT_ERROR_ATTRIBUTE = "correlationId";

  /**
   * Default order of both filters: first, so that security, observation and error handling log
   * with the ID. They read headers only, so running beside Spring's character-encoding filter
   * (also {@link Ordered#HIGHEST_PRECEDENCE}) changes nothing.
   */
  public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE;

  static final String EXPOSE_HEADERS = "Access-Control-Expose-Headers";
  static final String ORIGIN = "Origin";

  private HttpCorrelation() {}

  /** Whether a comma-separated header value list already names {@code header}. */
  static boolean names(Iterable<String> values, String header) {
    for (String value : values) {
      if (value == null) {
        continue;
      }
      for (String token : value.split(",")) {
        String t = token.trim();
        // "*" is not enough: for requests with credentials browsers read it as a literal name
        if (t.equalsIgnoreCase(header)) {
          return true;
        }
      }
    }
    return false;
  }
}
