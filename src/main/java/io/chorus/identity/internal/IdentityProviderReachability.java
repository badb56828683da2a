package io.chorus.identity.internal;

import com.nimbusds.jose.KeySourceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Whether Chorus can reach its identity provider, as it learns when it fetches the provider's
 * configuration and signing keys (at the first token, when a token names a key it has not seen,
 * and when its copy of the keys grows old: five minutes). An outage is logged once, as a WARN line
 * when a fetch first fails, and its end once, as an INFO line when a fetch succeeds again: never
 * a stack trace per request. Meanwhile, every token that needed a fetch is refused as
 * {@link IdentityProviderUnreachable}: 503 {@code IDENTITY_PROVIDER_UNAVAILABLE}, not a 401 (the
 * token may be fine) nor a 500.
 */
final class IdentityProviderReachability implements ClientHttpRequestInterceptor {

    private static final Logger log = LoggerFactory.getLogger(IdentityProviderReachability.class);

    private final String issuer;
    private final AtomicReference<Instant> unreachableSince = new AtomicReference<>();

    IdentityProviderReachability(String issuer) {
        this.issuer = issuer;
    }

    /** {@code decoder}, with the failures that are the provider's told apart from those of the token. */
    JwtDecoder guard(JwtDecoder decoder) {
        return token -> {
            try {
                return decoder.decode(token);
            } catch (JwtDecoderInitializationException | JwtException failure) {
                if (failure instanceof BadJwtException || !providersFault(failure)) {
                    throw failure;
                }
                unreachable(failure);
                throw new IdentityProviderUnreachable(failure);
            }
        };
    }

    /**
     * The provider's configuration could not be read at all (the decoder is built at the first
     * token), or its keys could not be fetched. A token that does not parse, is signed by no key
     * the provider has, or has expired is a {@link BadJwtException} and never comes here.
     */
    private static boolean providersFault(RuntimeException failure) {
        if (failure instanceof JwtDecoderInitializationException) {
            return true;
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof KeySourceException || cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        ClientHttpResponse response;
        try {
            response = execution.execute(request, body);
        } catch (IOException unreachable) {
            unreachable(unreachable);
            throw unreachable;
        }
        if (response.getStatusCode().is2xxSuccessful()) {
            reachable();
        } else if (response.getStatusCode().is5xxServerError()) {
            if (unreachableSince.compareAndSet(null, Instant.now())) {
                logStart("it answered HTTP " + response.getStatusCode().value());
            }
        }
        return response;
    }

    private void unreachable(Throwable failure) {
        if (unreachableSince.compareAndSet(null, Instant.now())) {
            logStart(rootMessage(failure));
        }
    }

    private void logStart(String cause) {
        log.warn("Cannot reach the identity provider {} to verify tokens ({}); callers whose token needs its keys get "
                + "503 IDENTITY_PROVIDER_UNAVAILABLE until it answers again", issuer, cause);
    }

    private void reachable() {
        if (unreachableSince.get() == null) {
            return;
        }
        Instant since = unreachableSince.getAndSet(null);
        if (since != null) {
            log.info("The identity provider {} answers again, after {} s unreachable; tokens are verified again",
                    issuer, Duration.between(since, Instant.now()).toSeconds());
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && depth < 32; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
