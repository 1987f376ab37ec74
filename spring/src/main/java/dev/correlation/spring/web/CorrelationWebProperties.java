package dev.correlation.spring.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code correlation.web.*} settings of the HTTP edge. Header names, generator, validator and
 * transformer are the common {@code correlation.*} keys of {@link dev.correlation.CorrelationConfig},
 * shared with the broker integrations. The switches {@code correlation.web.enabled} and
 * {@code correlation.web.client.enabled} (both default true) are read by
 * {@link CorrelationWebAutoConfiguration}'s conditions.
 *
 * <p>A mutable binding target, as Spring Boot's property binding wants; read once at start-up.
 * Not thread safe while being bound.
 */
@ConfigurationProperties(prefix = "correlation.web")
public final class CorrelationWebProperties {
  private boolean updateRequestHeader = true;
  private boolean exposeHeader = true;
  private String errorAttribute = HttpCorrelation.DEFAULT_ERROR_ATTRIBUTE;
  private int filterOrder = HttpCorrelation.DEFAULT_ORDER;

  /** Creates the defaults. */
  public CorrelationWebProperties() {}

  /**
   * {@code correlation.web.update-request-header}: whether the application sees the final
   * (possibly replaced) ID in the request header. Default true.
   */
  public boolean isUpdateRequestHeader() {
    return updateRequestHeader;
  }

  /** Sets {@link #isUpdateRequestHeader()}. */
  public void setUpdateRequestHeader(boolean updateRequestHeader) {
    this.updateRequestHeader = updateRequestHeader;
  }

  /**
   * {@code correlation.web.expose-header}: whether CORS responses list the correlation header in
   * {@code Access-Control-Expose-Headers}. Default true.
   */
  public boolean isExposeHeader() {
    return exposeHeader;
  }

  /** Sets {@link #isExposeHeader()}. */
  public void setExposeHeader(boolean exposeHeader) {
    this.exposeHeader = exposeHeader;
  }

  /**
   * {@code correlation.web.error-attribute}: name of the ID in Spring Boot's error body; empty
   * leaves the error body alone. Default {@code correlationId}.
   */
  public String getErrorAttribute() {
    return errorAttribute;
  }

  /** Sets {@link #getErrorAttribute()}; null counts as empty. */
  public void setErrorAttribute(String errorAttribute) {
    this.errorAttribute = errorAttribute == null ? "" : errorAttribute.trim();
  }

  /**
   * {@code correlation.web.filter-order}: position of the Servlet filter and the WebFlux filter.
   * Default {@link HttpCorrelation#DEFAULT_ORDER}, first.
   */
  public int getFilterOrder() {
    return filterOrder;
  }

  /** Sets {@link #getFilterOrder()}. */
  public void setFilterOrder(int filterOrder) {
    this.filterOrder = filterOrder;
  }
}
