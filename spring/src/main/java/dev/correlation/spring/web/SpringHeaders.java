package dev.correlation.spring.web;

import dev.correlation.CorrelationPropagator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/** The carrier of Spring's {@link HttpHeaders}: client requests and WebFlux server requests. */
final class SpringHeaders {
  static final CorrelationPropagator.Getter<HttpHeaders> GETTER = new Getter();
  static final CorrelationPropagator.Setter<HttpHeaders> SETTER = (headers, name, value) -> {
    headers.set(name, value); // set replaces every copy
    return true;
  };

  private SpringHeaders() {}

  private static final class Getter implements CorrelationPropagator.Getter<HttpHeaders> {
    @Override
    public @Nullable Object get(HttpHeaders headers, String name) {
      List<String> values = headers.get(name);
      if (values == null || values.isEmpty()) {
        return null;
      }
      return values.size() == 1 ? values.get(0) : values;
    }

    @Override
    public boolean contains(HttpHeaders headers, String name) {
      return headers.containsHeader(name);
    }
  }
}
