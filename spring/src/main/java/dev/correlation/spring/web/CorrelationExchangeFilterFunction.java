package dev.correlation.spring.web;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Carries the flow on outgoing {@code WebClient} calls. The flow is, in this order: the one in the
 * Reactor {@code Context} of the call under {@link HttpCorrelation#REACTOR_CONTEXT_KEY} (put there
 * by {@link CorrelationWebFilter} for calls composed into a WebFlux request, whatever thread they
 * run on), else the one current on the thread that subscribes to the call, else none (the call
 * then gets a new ID, like a message sent at the edge, unless generation is off). Headers are
 * written with the send rules of {@link CorrelationPropagator#inject(Object,
 * CorrelationPropagator.Getter, CorrelationPropagator.Setter, CorrelationContext)}.
 *
 * <p>Header content never fails the call. Immutable and thread safe. Spring Boot applications get
 * one on every auto-configured {@code WebClient.Builder} from {@link
 * CorrelationWebAutoConfiguration}; otherwise add it with {@code WebClient.builder().filter(...)}.
 */
public final class CorrelationExchangeFilterFunction implements ExchangeFilterFunction {
  private final CorrelationPropagator propagator;

  private CorrelationExchangeFilterFunction(CorrelationPropagator propagator) {
    this.propagator = propagator;
  }

  /**
   * A filter writing headers as {@code propagator}'s configuration says.
   *
   * @throws NullPointerException if {@code propagator} is null
   */
  public static CorrelationExchangeFilterFunction create(CorrelationPropagator propagator) {
    return new CorrelationExchangeFilterFunction(
        Objects.requireNonNull(propagator, "propagator == null"));
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(reactorContext -> {
      CorrelationContext flow = reactorContext.getOrDefault(HttpCorrelation.REACTOR_CONTEXT_KEY,
          null);
      CorrelationContext current = flow != null ? flow : Correlation.current().orElse(null);
      return next.exchange(withHeaders(request, current));
    });
  }

  private ClientRequest withHeaders(ClientRequest request, @Nullable CorrelationContext flow) {
    try {
      return ClientRequest.from(request)
          .headers(h -> propagator.inject(h, SpringHeaders.GETTER, SpringHeaders.SETTER, flow))
          .build();
    } catch (RuntimeException e) {
      propagator.reportUnwritable("an HTTP request to " + request.url(), e);
      return request;
    }
  }

  @Override
  public String toString() {
    return "CorrelationExchangeFilterFunction{header=" + propagator.config().headerName() + '}';
  }
}
