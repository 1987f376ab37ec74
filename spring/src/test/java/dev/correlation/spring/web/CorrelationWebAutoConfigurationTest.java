package dev.correlation.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which beans the switches and the application type give, without starting a server. */
class CorrelationWebAutoConfigurationTest {
  final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CorrelationWebAutoConfiguration.class));
  final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CorrelationWebAutoConfiguration.class));

  @Test
  void servletApplicationGetsFilterFirstForEveryDispatchAndErrorBodyAndClients() {
    servlet.run(context -> {
      FilterRegistrationBean<?> registration =
          context.getBean("correlationFilter", FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isInstanceOf(CorrelationFilter.class);
      assertThat(registration.getOrder()).isEqualTo(HttpCorrelation.DEFAULT_ORDER);
      assertThat(registration.determineDispatcherTypes()).extracting(Enum::name)
          .containsExactlyInAnyOrder("REQUEST", "ASYNC", "ERROR");
      assertThat(context.getBean(org.springframework.boot.webmvc.error.ErrorAttributes.class))
          .isInstanceOf(ServletErrorAttributes.class);
      assertThat(context).hasSingleBean(CorrelationClientHttpRequestInterceptor.class)
          .hasSingleBean(RestClientCustomizer.class).hasSingleBean(RestTemplateCustomizer.class)
          .hasSingleBean(WebClientCustomizer.class)
          .doesNotHaveBean(CorrelationWebFilter.class);
    });
  }

  @Test
  void reactiveApplicationGetsWebFilterAndErrorBodyButNoServletFilter() {
    reactive.run(context -> {
      assertThat(context).hasSingleBean(CorrelationWebFilter.class)
          .doesNotHaveBean("correlationFilter");
      assertThat(context.getBean(org.springframework.boot.webflux.error.ErrorAttributes.class))
          .isInstanceOf(ReactiveErrorAttributes.class);
    });
  }

  @Test
  void webEnabledFalseRegistersNothing() {
    servlet.withPropertyValues("correlation.web.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean("correlationFilter")
            .doesNotHaveBean(CorrelationClientHttpRequestInterceptor.class)
            .doesNotHaveBean(RestClientCustomizer.class)
            .doesNotHaveBean(WebClientCustomizer.class)
            .doesNotHaveBean(org.springframework.boot.webmvc.error.ErrorAttributes.class));
    reactive.withPropertyValues("correlation.web.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(CorrelationWebFilter.class));
  }

  @Test
  void clientEnabledFalseKeepsTheEdgeButNotTheClients() {
    servlet.withPropertyValues("correlation.web.client.enabled=false").run(context ->
        assertThat(context).hasBean("correlationFilter")
            .doesNotHaveBean(RestClientCustomizer.class)
            .doesNotHaveBean(RestTemplateCustomizer.class)
            .doesNotHaveBean(WebClientCustomizer.class));
  }

  @Test
  void settingsReachTheFilters() {
    servlet.withPropertyValues("correlation.web.filter-order=42",
        "correlation.web.update-request-header=false", "correlation.web.expose-header=false")
        .run(context -> {
          FilterRegistrationBean<?> registration =
              context.getBean("correlationFilter", FilterRegistrationBean.class);
          assertThat(registration.getOrder()).isEqualTo(42);
          assertThat(registration.getFilter()).hasToString("CorrelationFilter{header="
              + "X-Correlation-ID, updateRequestHeader=false, exposeHeader=false}");
        });
    reactive.withPropertyValues("correlation.web.filter-order=42")
        .run(context -> assertThat(context.getBean(CorrelationWebFilter.class).getOrder())
            .isEqualTo(42));
  }

  @Test
  void emptyErrorAttributeLeavesBootsErrorBodyAlone() {
    servlet.withPropertyValues("correlation.web.error-attribute=").run(context ->
        assertThat(context.getBean(org.springframework.boot.webmvc.error.ErrorAttributes.class))
            .isNotInstanceOf(ServletErrorAttributes.class));
  }

  @Test
  void applicationsOwnErrorAttributesWin() {
    servlet.withUserConfiguration(OwnErrorAttributes.class).run(context ->
        assertThat(context.getBean(org.springframework.boot.webmvc.error.ErrorAttributes.class))
            .isSameAs(context.getBean("ownErrorAttributes")));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnErrorAttributes {
    @Bean
    org.springframework.boot.webmvc.error.DefaultErrorAttributes ownErrorAttributes() {
      return new org.springframework.boot.webmvc.error.DefaultErrorAttributes();
    }
  }
}
