package io.chorus.identity.internal;

import io.chorus.platform.EdgeEvents;

import io.chorus.identity.AccountDeactivatedException;
import io.chorus.identity.ApiTokens;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import io.chorus.platform.ProblemCodes;
import io.chorus.platform.ProblemDocument;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestOperations;
import org.springframework.web.client.RestTemplate;

/**
 * REST is a stateless OAuth2 resource server: every {@code /api/**} call carries a bearer
 * token, and everything not named here is refused.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    @Bean
    SecurityFilterChain api(HttpSecurity http, KeycloakTokenConverter tokens, JwtDecoder decoder,
            ObjectProvider<ApiTokens> apiTokens, EdgeEvents securityEvents, Clock clock, ManagementPort management)
            throws Exception {
        http
                .csrf(csrf -> csrf.disable()) // bearer tokens only; no cookies to forge
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        // Exists only in local mode; elsewhere it is a plain 404.
                        .requestMatchers(HttpMethod.POST, "/api/v1/dev/token").permitAll()
                        // Incoming webhooks and commands' response URLs: the secret in the path or a signature authenticates.
                        .requestMatchers(HttpMethod.POST, "/api/v1/hooks/**").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/command-responses/*").permitAll()
                        .requestMatchers("/api/**").access(tokenScopes(apiTokens.getIfAvailable()))
                        // The WebSocket upgrade; the STOMP CONNECT frame carries the token.
                        .requestMatchers("/ws").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // Metrics for the scraper, on the management port only (kept inside the cluster).
                        .requestMatchers(management.path("/actuator/prometheus")).permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .addFilterBefore(new IdentityProviderOutage(), BearerTokenAuthenticationFilter.class)
                .addFilterBefore(new DeniedRequests(securityEvents, clock), ExceptionTranslationFilter.class)
                .oauth2ResourceServer(server -> server
                        .authenticationManagerResolver(bearerTokens(tokens, decoder, apiTokens.getIfAvailable()))
                        .authenticationEntryPoint((request, response, failure) -> unauthenticated(response, failure))
                        .accessDeniedHandler((request, response, denied) -> writeProblem(response,
                                HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "You may not do this.")))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, failure) -> unauthenticated(response, failure))
                        .accessDeniedHandler((request, response, denied) -> writeProblem(response,
                                HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "You may not do this.")));
        return http.build();
    }

    /**
     * Every API request needs an authenticated caller; one authenticated by an API token may
     * only make the requests its issuer opens to tokens, each with the scope it names.
     */
    private static AuthorizationManager<RequestAuthorizationContext> tokenScopes(ApiTokens apiTokens) {
        AuthenticatedAuthorizationManager<RequestAuthorizationContext> authenticated =
                AuthenticatedAuthorizationManager.authenticated();
        return (authentication, context) -> {
            AuthorizationResult signedIn = authenticated.authorize(authentication, context);
            if (!signedIn.isGranted() || apiTokens == null
                    || !(authentication.get() instanceof ChorusAuthentication caller) || !caller.byApiToken()) {
                return signedIn;
            }
            boolean allowed = apiTokens.requiredScope(context.getRequest())
                    .map(scope -> scope.equals(ApiTokens.ANY_SCOPE) || caller.getAuthorities().stream()
                            .anyMatch(granted -> granted.getAuthority().equals(ApiTokens.authority(scope))))
                    .orElse(false);
            return new AuthorizationDecision(allowed);
        };
    }

    /**
     * A bearer token is a JWT from Keycloak (or local mode), or an opaque API token of a bot,
     * told apart by the token issuer's prefix: an API token is never sent to the JWT decoder.
     */
    private static AuthenticationManagerResolver<HttpServletRequest> bearerTokens(KeycloakTokenConverter converter,
            JwtDecoder decoder, ApiTokens apiTokens) {
        JwtAuthenticationProvider jwtProvider = new JwtAuthenticationProvider(decoder);
        jwtProvider.setJwtAuthenticationConverter(converter);
        AuthenticationManager jwts = new ProviderManager(jwtProvider);
        if (apiTokens == null) {
            return request -> jwts;
        }
        AuthenticationManager bots = new ProviderManager(new ApiTokenAuthentication(apiTokens));
        BearerTokenResolver bearer = new DefaultBearerTokenResolver();
        return request -> {
            String token = bearer.resolve(request);
            return token != null && apiTokens.recognises(token) ? bots : jwts;
        };
    }

    /**
     * Trusts the configured Keycloak realm, or in local mode the key Chorus signs dev tokens
     * with. The issuer's keys are fetched lazily so Chorus starts while Keycloak is still booting.
     */
    @Bean
    JwtDecoder jwtDecoder(IdentityProperties properties, ObjectProvider<LocalTokenIssuer> localIssuer) {
        if (properties.localMode()) {
            LocalTokenIssuer issuer = Objects.requireNonNull(localIssuer.getIfAvailable(), "local issuer");
            // Built at the first token to check: the issuer makes its key only when first asked for it.
            return new SupplierJwtDecoder(() -> {
                NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(issuer.publicKey()).build();
                decoder.setJwtValidator(validators(issuedBy(issuer.issuer()),
                        properties.audience()));
                return decoder;
            });
        }
        if (properties.issuerUri() == null || properties.issuerUri().isBlank()) {
            throw new IllegalStateException("Set chorus.identity.issuer-uri (CHORUS_ISSUER_URI) to your Keycloak "
                    + "realm, or turn on local mode with the 'local' profile.");
        }
        String issuerUri = properties.issuerUri();
        IdentityProviderReachability reachability = new IdentityProviderReachability(issuerUri);
        RestOperations provider = providerClient(properties.provider(), reachability);
        return reachability.guard(new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuerUri).restOperations(provider).build();
            decoder.setJwtValidator(validators(issuedBy(issuerUri), properties.audience()));
            return decoder;
        }));
    }

    /**
     * How Chorus fetches the issuer's configuration and keys: with bounds (a request that needs
     * the keys waits no longer than these), and watched, so that an outage is logged once.
     */
    private static RestOperations providerClient(IdentityProperties.Provider settings,
            IdentityProviderReachability reachability) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(settings.connectTimeout());
        requests.setReadTimeout(settings.readTimeout());
        RestTemplate client = new RestTemplate(requests);
        client.getInterceptors().add(reachability);
        return client;
    }

    /** Spring's defaults (times) and the issuer, a mismatch of which is logged once per issuer. */
    private static OAuth2TokenValidator<Jwt> issuedBy(String issuer) {
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault(), new IssuerCheck(issuer));
    }

    private static OAuth2TokenValidator<Jwt> validators(OAuth2TokenValidator<Jwt> defaults, String audience) {
        return new DelegatingOAuth2TokenValidator<>(defaults,
                // Without a subject there is no stable user key to attach anything to.
                new JwtClaimValidator<String>(JwtClaimNames.SUB, subject -> subject != null && !subject.isBlank()),
                // A token without an end would keep a STOMP session open for ever.
                new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull),
                meantFor(audience));
    }

    /**
     * A token must be meant for Chorus: {@code audience} in its {@code aud}, or, since Keycloak
     * names no audience by default, issued to the client of that name ({@code azp}). A token
     * another application of the same realm asked for is refused.
     */
    private static OAuth2TokenValidator<Jwt> meantFor(String audience) {
        OAuth2Error elsewhere = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The token is not meant for Chorus.",
                null);
        return jwt -> {
            List<String> audiences = jwt.getAudience();
            boolean named = audiences != null && audiences.contains(audience);
            return named || audience.equals(jwt.getClaimAsString("azp"))
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(elsewhere);
        };
    }

    private static void unauthenticated(HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof AccountDeactivatedException) {
            writeProblem(response, HttpStatus.UNAUTHORIZED, ProblemCodes.ACCOUNT_DEACTIVATED,
                    "This account has been deactivated.");
        } else {
            writeProblem(response, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHENTICATED,
                    "A valid bearer token is required.");
        }
    }

    static void writeProblem(HttpServletResponse response, HttpStatus status, String code, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write(ProblemDocument.json(status.value(), code, detail));
    }
}
