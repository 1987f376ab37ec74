/**
 * Correlation IDs at the HTTP edge of a Spring application: {@link
 * dev.correlation.spring.web.CorrelationFilter} (Servlet) and {@link
 * dev.correlation.spring.web.CorrelationWebFilter} (WebFlux) continue or start the flow of each
 * incoming request; {@link dev.correlation.spring.web.CorrelationClientHttpRequestInterceptor}
 * (RestClient, RestTemplate) and {@link
 * dev.correlation.spring.web.CorrelationExchangeFilterFunction} (WebClient) carry it on outgoing
 * calls; {@link dev.correlation.spring.web.CorrelationWebAutoConfiguration} wires them into a Spring
 * Boot application.
 */
@NullMarked
package dev.correlation.spring.web;

import org.jspecify.annotations.NullMarked;
