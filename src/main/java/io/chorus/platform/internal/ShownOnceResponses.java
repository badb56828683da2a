package io.chorus.platform.internal;

import io.chorus.platform.ShownOnce;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** {@link ShownOnce} endpoints answer {@code Cache-Control: no-store}, which the idempotency filter honours too. */
@Configuration(proxyBeanMethods = false)
class ShownOnceResponses implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && method.hasMethodAnnotation(ShownOnce.class)) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        return true;
    }
}
