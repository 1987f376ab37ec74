package dev.correlation.spring.web;

import dev.correlation.CorrelationPropagator;
import java.io.IOException;
import java.util.Objects;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Carries the current flow on outgoing {@code RestClient} and {@code RestTemplate} calls: writes
 * the correlation header (and, while a message is being handled, the causation header) with the
 * send rules of {@link CorrelationPropagator#inject(Object, CorrelationPropagator.Getter,
 * CorrelationPropagator.Setter)}, on the thread that makes the call.
 *
 * <p>Outside any flow a call gets a new ID (unless generation is off in the configuration), like a
 * message sent at the edge. Header writes never fail the call; whatever the delegate execution
 * throws propagates unchanged.
 *
 * <p>Immutable and thread safe. Spring Boot applications get one on every auto-configured
 * {@code RestClient.Builder} and {@code RestTemplateBuilder} from {@link
 * CorrelationWebAutoConfiguration}; otherwise add it with
 * {@code RestClient.builder().requestInterceptor(...)} or {@code restTemplate.getInterceptors()}.
 */
public final class CorrelationClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {
  private final CorrelationPropagator propagator;

  private CorrelationClientHttpRequestInterceptor(CorrelationPropagator propagator) {
    this.propagator = propagator;
  }

  /**
   * An interceptor writing headers as {@code propagator}'s configuration says.
   *
   * @throws NullPointerException if {@code propagator} is null
   */
  public static CorrelationClientHttpRequestInterceptor create(CorrelationPropagator propagator) {
    return new CorrelationClientHttpRequestInterceptor(
        Objects.requireNonNull(propagator, "propagator == null"));
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body,
      ClientHttpRequestExecution execution) throws IOException {
    try {
      propagator.inject(request.getHeaders(), SpringHeaders.GETTER, SpringHeaders.SETTER);
    } catch (RuntimeException e) {
      // read-only headers: send the call as it is rather than fail it
      propagator.reportUnwritable("an HTTP request to " + request.getURI(), e);
    }
    return execution.execute(request, body);
  }

  @Override
  public String toString() {
    return "CorrelationClientHttpRequestInterceptor{header=" + propagator.config().headerName()
        + '}';
  }
}
