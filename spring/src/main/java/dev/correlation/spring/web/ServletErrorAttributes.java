package dev.correlation.spring.web;

import dev.correlation.Correlation;
import dev.correlation.CorrelationContext;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/** Spring Boot's MVC error body plus the correlation ID of the failed request. */
final class ServletErrorAttributes extends DefaultErrorAttributes {
  private final String name;

  ServletErrorAttributes(String name) {
    this.name = name;
  }

  @Override
  public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
    Map<String, Object> attributes = super.getErrorAttributes(request, options);
    Object stored = request.getAttribute(HttpCorrelation.CONTEXT_ATTRIBUTE,
        RequestAttributes.SCOPE_REQUEST);
    String id = stored instanceof CorrelationContext
        ? ((CorrelationContext) stored).correlationId() : Correlation.currentId();
    if (id != null) {
      attributes.put(name, id);
    }
    return attributes;
  }
}
