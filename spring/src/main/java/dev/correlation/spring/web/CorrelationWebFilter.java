package dev.correlation.spring.web;

import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import dev.correlation.Scope;
import java.util.List;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A WebFlux filter that runs every request in its flow: it continues the caller's
 * {@code X-Correlation-ID} (header name as configured) or starts a new flow, and sends the ID back
 * in the response header. Same validation, response header, CORS exposure and
 * update-request-header option as the Servlet {@link CorrelationFilter}.
 *
 * <p>Where the flow is, on a reactive server where one request hops between threads:
 * <ul>
 *   <li>exchange attribute {@link HttpCorrelation#CONTEXT_ATTRIBUTE} and the Reactor
 *       {@code Context} under {@link HttpCorrelation#REACTOR_CONTEXT_KEY}: for the whole request,
 *       on any thread. {@link CorrelationExchangeFilterFunction} reads the latter, so WebClient
 *       calls composed into the request carry the ID whatever thread they start on.</li>
 *   <li>{@code Correlation.current()} and the MDC: only while the chain is assembled and
 *       subscribed on the server thread. That covers a handler that does its work synchronously
 *       when subscribed (a controller returning a value or {@code Mono.just}); it does not cover
 *       operators that run later on another thread (after a WebClient response, a
 *       {@code publishOn}, a timer). This filter does not copy thread-locals across Reactor's
 *       thread hops; for that, combine it with Micrometer context-propagation and
 *       {@code Hooks.enableAutomaticContextPropagation()} (the project's context-propagation
 *       module), or read the Reactor {@code Context} yourself.</li>
 * </ul>
 * The response header is set before the chain runs and again, if something removed it, just before
 * the response is committed, so error responses carry it too.
 *
 * <p>Immutable and thread safe; one instance serves every request. Spring Boot applications get
 * one from {@link CorrelationWebAutoConfiguration}.
 */
public final class CorrelationWebFilter implements WebFilter, Ordered {
  private final CorrelationPropagator propagator;
  private final boolean updateRequestHeader;
  private final boolean exposeHeader;
  private final int order;

  private CorrelationWebFilter(Builder builder) {
    this.propagator = builder.propagator;
    this.updateRequestHeader = builder.updateRequestHeader;
    this.exposeHeader = builder.exposeHeader;
    this.order = builder.order;
  }

  /**
   * A filter with the default options.
   *
   * @throws NullPointerException if {@code propagator} is null
   */
  public static CorrelationWebFilter create(CorrelationPropagator propagator) {
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
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    CorrelationContext stored = exchange.getAttribute(HttpCorrelation.CONTEXT_ATTRIBUTE);
    CorrelationContext context = stored != null
        ? stored : propagator.edgeContext(exchange.getRequest().getHeaders(), SpringHeaders.GETTER);
    exchange.getAttributes().put(HttpCorrelation.CONTEXT_ATTRIBUTE, context);
    String header = propagator.config().headerName();
    String id = context.correlationId();
    ServerHttpResponse response = exchange.getResponse();
    response.getHeaders().set(header, id);
    boolean cors = exposeHeader
        && exchange.getRequest().getHeaders().containsHeader(HttpCorrelation.ORIGIN);
    response.beforeCommit(() -> {
      HttpHeaders headers = response.getHeaders();
      if (!headers.containsHeader(header)) {
        headers.set(header, id);
      }
      // at commit time, so a CORS processor that sets the list earlier cannot drop our name
      if (cors) {
        List<String> exposed = headers.get(HttpCorrelation.EXPOSE_HEADERS);
        if (exposed == null || !HttpCorrelation.names(exposed, header)) {
          headers.add(HttpCorrelation.EXPOSE_HEADERS, header);
        }
      }
      return Mono.empty();
    });
    ServerWebExchange seen = updateRequestHeader
        ? exchange.mutate().request(r -> r.headers(h -> h.set(header, id))).build()
        : exchange;
    Mono<Void> scoped = Mono.fromDirect(subscriber -> {
      try (Scope scope = propagator.open(context)) {
        Mono<Void> rest;
        try {
          rest = chain.filter(seen);
        } catch (RuntimeException e) { // a filter that throws instead of returning an error
          Operators.error(subscriber, e);
          return;
        }
        rest.subscribe(subscriber);
      }
    });
    return scoped.contextWrite(c -> c.put(HttpCorrelation.REACTOR_CONTEXT_KEY, context));
  }

  /** The order given to the builder, {@link HttpCorrelation#DEFAULT_ORDER} unless set. */
  @Override
  public int getOrder() {
    return order;
  }

  @Override
  public String toString() {
    return "CorrelationWebFilter{header=" + propagator.config().headerName()
        + ", updateRequestHeader=" + updateRequestHeader + ", exposeHeader=" + exposeHeader
        + ", order=" + order + '}';
  }

  /** Builds a {@link CorrelationWebFilter}. Not thread safe. */
  public static final class Builder {
    private final CorrelationPropagator propagator;
    private boolean updateRequestHeader = true;
    private boolean exposeHeader = true;
    private int order = HttpCorrelation.DEFAULT_ORDER;

    private Builder(CorrelationPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator == null");
    }

    /**
     * Whether the application sees the final ID in the request's correlation header, in place of
     * whatever the caller sent. Default true.
     */
    public Builder updateRequestHeader(boolean update) {
      updateRequestHeader = update;
      return this;
    }

    /**
     * Whether CORS responses list the correlation header in
     * {@code Access-Control-Expose-Headers}. Default true.
     */
    public Builder exposeHeader(boolean expose) {
      exposeHeader = expose;
      return this;
    }

    /** Position among the WebFlux filters; default {@link HttpCorrelation#DEFAULT_ORDER}. */
    public Builder order(int order) {
      this.order = order;
      return this;
    }

    /** The filter. */
    public CorrelationWebFilter build() {
      return new CorrelationWebFilter(this);
    }
  }
}
