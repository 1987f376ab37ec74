package dev.correlation.spring.web;

import dev.correlation.CorrelationContext;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webflux.error.DefaultErrorAttributes;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Spring Boot's WebFlux error body plus the correlation ID of the failed request. */
final class ReactiveErrorAttributes extends DefaultErrorAttributes {
  private final String name;

  ReactiveErrorAttributes(String name) {
    this.name = name;
  }

  @Override
  public Map<String, Object> getErrorAttributes(ServerRequest request,
      ErrorAttributeOptions options) {
    Map<String, Object> attributes = super.getErrorAttributes(request, options);
    request.attribute(HttpCorrelation.CONTEXT_ATTRIBUTE)
        .filter(CorrelationContext.class::isInstance)
        .ifPresent(c -> attributes.put(name, ((CorrelationContext) c).correlationId()));
    return attributes;
  }
}
