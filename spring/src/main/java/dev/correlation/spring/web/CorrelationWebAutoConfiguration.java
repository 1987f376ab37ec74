package dev.correlation.spring.web;

import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationPropagator;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot auto-configuration of the HTTP edge, switched on by what is on the class path:
 *
 * <table>
 *   <caption>What it registers</caption>
 *   <tr><th>when</th><th>bean</th></tr>
 *   <tr><td>Servlet web application</td><td>{@link CorrelationFilter} in a
 *       {@code FilterRegistrationBean} named {@code correlationFilter}, for REQUEST, ASYNC and
 *       ERROR dispatches, order {@code correlation.web.filter-order}</td></tr>
 *   <tr><td>Spring MVC, no {@code ErrorAttributes} bean of the application's</td><td>Boot's
 *       {@code DefaultErrorAttributes} plus the ID under {@code correlation.web.error-attribute}
 *       </td></tr>
 *   <tr><td>reactive web application</td><td>{@link CorrelationWebFilter}</td></tr>
 *   <tr><td>WebFlux, no {@code ErrorAttributes} bean of the application's</td><td>the same error
 *       body for WebFlux</td></tr>
 *   <tr><td>spring-boot-restclient</td><td>a {@code RestClientCustomizer} and a
 *       {@code RestTemplateCustomizer} adding {@link CorrelationClientHttpRequestInterceptor}</td>
 *       </tr>
 *   <tr><td>spring-boot-webclient</td><td>a {@code WebClientCustomizer} adding
 *       {@link CorrelationExchangeFilterFunction}</td></tr>
 * </table>
 *
 * <p>{@code correlation.web.enabled=false} turns all of it off, {@code correlation.web.client.enabled=false}
 * only the outgoing side. Header names, generator, validator and transformer come from the
 * application's {@link CorrelationConfig} bean when there is one (set from the
 * {@code correlation.*} properties), else from the process-wide
 * {@link dev.correlation.Correlation#config()}.
 *
 * <p>Only Spring instantiates this class.
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration",
    "org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "correlation.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CorrelationWebProperties.class)
public final class CorrelationWebAutoConfiguration {
  CorrelationWebAutoConfiguration() {}

  static CorrelationPropagator propagator(ObjectProvider<CorrelationConfig> config) {
    CorrelationConfig own = config.getIfAvailable();
    return own == null ? CorrelationPropagator.create() : CorrelationPropagator.create(own);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({jakarta.servlet.Filter.class, FilterRegistrationBean.class,
      org.springframework.web.filter.OncePerRequestFilter.class})
  static final class ServletEdge {
    @Bean
    @ConditionalOnMissingBean(name = "correlationFilter")
    FilterRegistrationBean<CorrelationFilter> correlationFilter(
        ObjectProvider<CorrelationConfig> config, CorrelationWebProperties properties) {
      CorrelationFilter filter = CorrelationFilter.builder(propagator(config))
          .updateRequestHeader(properties.isUpdateRequestHeader())
          .exposeHeader(properties.isExposeHeader())
          .build();
      FilterRegistrationBean<CorrelationFilter> registration = new FilterRegistrationBean<>(filter);
      registration.setName("correlationFilter");
      registration.setOrder(properties.getFilterOrder());
      registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC,
          DispatcherType.ERROR);
      return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.webmvc.error.ErrorAttributes")
    static final class ErrorBody {
      @Bean
      @ConditionalOnMissingBean(org.springframework.boot.webmvc.error.ErrorAttributes.class)
      org.springframework.boot.webmvc.error.DefaultErrorAttributes errorAttributes(
          CorrelationWebProperties properties) {
        String name = properties.getErrorAttribute();
        return name.isEmpty() ? new org.springframework.boot.webmvc.error.DefaultErrorAttributes()
            : new ServletErrorAttributes(name);
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(org.springframework.web.server.WebFilter.class)
  static final class ReactiveEdge {
    @Bean
    @ConditionalOnMissingBean
    CorrelationWebFilter correlationWebFilter(ObjectProvider<CorrelationConfig> config,
        CorrelationWebProperties properties) {
      return CorrelationWebFilter.builder(propagator(config))
          .updateRequestHeader(properties.isUpdateRequestHeader())
          .exposeHeader(properties.isExposeHeader())
          .order(properties.getFilterOrder())
          .build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.webflux.error.ErrorAttributes")
    static final class ErrorBody {
      @Bean
      @ConditionalOnMissingBean(org.springframework.boot.webflux.error.ErrorAttributes.class)
      org.springframework.boot.webflux.error.DefaultErrorAttributes errorAttributes(
          CorrelationWebProperties properties) {
        String name = properties.getErrorAttribute();
        return name.isEmpty() ? new org.springframework.boot.webflux.error.DefaultErrorAttributes()
            : new ReactiveErrorAttributes(name);
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RestClientCustomizer.class,
      org.springframework.http.client.ClientHttpRequestInterceptor.class})
  @ConditionalOnBooleanProperty(name = "correlation.web.client.enabled", matchIfMissing = true)
  static final class RestClients {
    @Bean
    @ConditionalOnMissingBean
    CorrelationClientHttpRequestInterceptor correlationClientHttpRequestInterceptor(
        ObjectProvider<CorrelationConfig> config) {
      return CorrelationClientHttpRequestInterceptor.create(propagator(config));
    }

    @Bean
    RestClientCustomizer correlationRestClientCustomizer(
        CorrelationClientHttpRequestInterceptor interceptor) {
      return builder -> builder.requestInterceptor(interceptor);
    }

    @Bean
    RestTemplateCustomizer correlationRestTemplateCustomizer(
        CorrelationClientHttpRequestInterceptor interceptor) {
      return template -> template.getInterceptors().add(interceptor);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({WebClientCustomizer.class,
      org.springframework.web.reactive.function.client.ExchangeFilterFunction.class})
  @ConditionalOnBooleanProperty(name = "correlation.web.client.enabled", matchIfMissing = true)
  static final class WebClients {
    @Bean
    @ConditionalOnMissingBean
    CorrelationExchangeFilterFunction correlationExchangeFilterFunction(
        ObjectProvider<CorrelationConfig> config) {
      return CorrelationExchangeFilterFunction.create(propagator(config));
    }

    @Bean
    WebClientCustomizer correlationWebClientCustomizer(CorrelationExchangeFilterFunction filter) {
      return builder -> builder.filter(filter);
    }
  }
}
