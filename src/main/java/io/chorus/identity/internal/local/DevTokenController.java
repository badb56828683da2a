package io.chorus.identity.internal.local;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.chorus.identity.IdentityEvents;
import io.chorus.platform.ChorusProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Local mode only: a token for a seeded demo user, so the API can be tried with curl. */
@RestController
@LocalMode
class DevTokenController {

    private static final Logger log = LoggerFactory.getLogger(DevTokenController.class);

    private final LocalTokenIssuer issuer;
    private final ApplicationEventPublisher events;

    DevTokenController(LocalTokenIssuer issuer, ApplicationEventPublisher events) {
        this.issuer = issuer;
        this.events = events;
    }

    record DevTokenRequest(@NotBlank @Size(max = 64) String username) {
    }

    record DevTokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {
    }

    /** Transactional so the audit trail's copy of the event is kept in the publication registry. */
    @PostMapping("/api/v1/dev/token")
    @Transactional
    DevTokenResponse token(@Valid @RequestBody DevTokenRequest request, HttpServletRequest http) {
        var user = issuer.demoUser(request.username()).orElseThrow(() -> ChorusProblem.notFound(
                "UNKNOWN_DEMO_USER", "No demo user is called '" + request.username() + "'."));
        var token = issuer.issue(user);
        log.info("Local mode: issued a dev token for {}", user.username());
        events.publishEvent(new IdentityEvents.DevTokenIssued(user.username(), http.getRemoteAddr(), Instant.now()));
        return new DevTokenResponse(token.value(), "Bearer", token.expiresInSeconds());
    }
}
