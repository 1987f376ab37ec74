package dev.correlation.spring.web;

import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A Servlet filter that runs every request in the scope of its flow: it continues the caller's
 * {@code X-Correlation-ID} (header name as configured) or starts a new flow, and sends the ID back
 * in the response header.
 *
 * <p>Per request, before the rest of the chain runs:
 * <ul>
 *   <li>the flow is read with {@link CorrelationPropagator#edgeContext(Object,
 *       CorrelationPropagator.Getter)}: a request without an ID starts a new flow, without a WARN;
 *       one that is empty, too long, not valid, or present twice with different values (a CR/LF
 *       injection attempt, say) is replaced by a fresh ID with one rate-limited WARN, the value
 *       escaped. Header content never makes the filter throw.</li>
 *   <li>the response header is set to the ID, so it is there even when the handler throws;</li>
 *   <li>on a CORS request (one with an {@code Origin} header) the header name is added to
 *       {@code Access-Control-Expose-Headers}, so browser code can read it; names the application
 *       exposes are kept, also when it sets the list after this filter ran (the response is
 *       wrapped for that);</li>
 *   <li>the context is stored as request attribute {@link HttpCorrelation#CONTEXT_ATTRIBUTE};</li>
 *   <li>with {@link Builder#updateRequestHeader(boolean)} on (the default), the application sees
 *       the final ID in the request header, also when it replaced a bad one.</li>
 * </ul>
 * The chain then runs inside {@link CorrelationPropagator#open}: {@code Correlation.current()} and
 * the MDC hold the flow on the request thread, and both are restored when the chain returns or
 * throws. The filter also runs on the error and async dispatches of the same request, reopening the
 * stored flow, so Spring Boot's error page and async completions log with the same ID.
 *
 * <p>Immutable and thread safe; one instance serves every request. Spring Boot applications get
 * one from {@link CorrelationWebAutoConfiguration}.
 */
public final class CorrelationFilter extends OncePerRequestFilter {
  private final CorrelationPropagator propagator;
  private final boolean updateRequestHeader;
  private final boolean exposeHeader;

  private CorrelationFilter(Builder builder) {
    this.propagator = builder.propagator;
    this.updateRequestHeader = builder.updateRequestHeader;
    this.exposeHeader = builder.exposeHeader;
  }

  /**
   * A filter with the default options.
   *
   * @throws NullPointerException if {@code propagator} is null
   */
  public static CorrelationFilter create(CorrelationPropagator propagator) {
    return builder(propagator).build();
  }

  /**
   * A builder for a filter that reads and writes headers as {@code propagator}'s configuration
   * says.
   *
   * @throws NullPointerException if {@code propagator} is null
   */
  public static Builder builder(CorrelationPropagator propagator) {
    return new Builder(propagator);
  }

  @Override
  @SuppressWarnings("try") // the scope is used by being open
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    Object stored = request.getAttribute(HttpCorrelation.CONTEXT_ATTRIBUTE);
    CorrelationContext context = stored instanceof CorrelationContext
        ? (CorrelationContext) stored // an error or async dispatch of a request already seen
        : propagator.edgeContext(request, REQUEST_HEADERS);
    request.setAttribute(HttpCorrelation.CONTEXT_ATTRIBUTE, context);
    String header = propagator.config().headerName();
    String id = context.correlationId();
    response.setHeader(header, id);
    HttpServletResponse answer = response;
    if (exposeHeader && request.getHeader(HttpCorrelation.ORIGIN) != null) {
      if (!HttpCorrelation.names(response.getHeaders(HttpCorrelation.EXPOSE_HEADERS), header)) {
        response.addHeader(HttpCorrelation.EXPOSE_HEADERS, header);
      }
      // Spring's CORS processing sets (replaces) the list later; the wrapper keeps our name in it
      answer = new ExposingResponse(response, header);
    }
    HttpServletRequest seen = updateRequestHeader
        ? new CorrelatedRequest(request, header, id) : request;
    try (Scope scope = propagator.open(context)) {
      chain.doFilter(seen, answer);
    }
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  @Override
  public String toString() {
    return "CorrelationFilter{header=" + propagator.config().headerName()
        + ", updateRequestHeader=" + updateRequestHeader + ", exposeHeader=" + exposeHeader + '}';
  }

  private static final CorrelationPropagator.Getter<HttpServletRequest> REQUEST_HEADERS =
      new CorrelationPropagator.Getter<>() {
        @Override
        public @Nullable Object get(HttpServletRequest request, String name) {
          Enumeration<String> values = request.getHeaders(name);
          if (values == null || !values.hasMoreElements()) {
            return null;
          }
          String first = values.nextElement();
          if (!values.hasMoreElements()) {
            return first;
          }
          List<String> all = new ArrayList<>();
          all.add(first);
          while (values.hasMoreElements()) {
            all.add(values.nextElement());
          }
          return all;
        }

        @Override
        public boolean contains(HttpServletRequest request, String name) {
          return request.getHeader(name) != null;
        }
      };

  /** Builds a {@link CorrelationFilter}. Not thread safe. */
  public static final class Builder {
    private final CorrelationPropagator propagator;
    private boolean updateRequestHeader = true;
    private boolean exposeHeader = true;

    private Builder(CorrelationPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator == null");
    }

    /**
     * Whether the application sees the final ID in the request's correlation header, in place of
     * whatever the caller sent (asgi-correlation-id's {@code update_request_header}). Default
     * true.
     */
    public Builder updateRequestHeader(boolean update) {
      updateRequestHeader = update;
      return this;
    }

    /**
     * Whether CORS responses list the correlation header in
     * {@code Access-Control-Expose-Headers}, so that browser code may read it. Default true.
     */
    public Builder exposeHeader(boolean expose) {
      exposeHeader = expose;
      return this;
    }

    /** The filter. */
    public CorrelationFilter build() {
      return new CorrelationFilter(this);
    }
  }
}
