package io.chorus.platform.internal;

import io.chorus.platform.ProblemCodes;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Every refusal at the HTTP edge is a problem document (RFC 9457), including those made before
 * Spring MVC runs: by Tomcat, by the security firewall, on the error dispatch.
 */
@Configuration(proxyBeanMethods = false)
class ServletEdgeConfiguration {

    @Bean
    QueryStringCheck queryStringCheck() {
        return new QueryStringCheck();
    }

    @Bean
    DatabaseOutage databaseOutage() {
        return new DatabaseOutage();
    }

    /**
     * The firewall still refuses encoded slashes, dots, newlines and the like, but leaves methods
     * to Spring MVC, which knows what each address supports: an unknown method is then a
     * {@code 405} with {@code Allow}, not a bare {@code 400}. Authorization does not depend on
     * the method, so a method nobody maps reaches nothing.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        return firewall;
    }

    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejected) -> EdgeProblems.write(response, 400, ProblemCodes.MALFORMED_REQUEST,
                "The request address is malformed.");
    }

    /** Runs after Spring Boot's own customizer, which installs Tomcat's HTML error report. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof Host host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                if (host instanceof StandardHost standard) {
                    standard.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
                host.getPipeline().addValve(new ProblemReportValve());
            }
        });
    }
}
