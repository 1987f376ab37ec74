package dev.correlation.spring.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A CORS response whose {@code Access-Control-Expose-Headers} keeps naming the correlation header
 * when the application (Spring's CORS processing, say) sets that header after the filter did.
 */
final class ExposingResponse extends HttpServletResponseWrapper {
  private final String header;

  ExposingResponse(HttpServletResponse response, String header) {
    super(response);
    this.header = header;
  }

  @Override
  public void setHeader(String name, @Nullable String value) {
    super.setHeader(name, HttpCorrelation.EXPOSE_HEADERS.equalsIgnoreCase(name)
        ? withOurs(value) : value);
  }

  private String withOurs(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return header;
    }
    return HttpCorrelation.names(List.of(value), header) ? value : value + ", " + header;
  }
}
