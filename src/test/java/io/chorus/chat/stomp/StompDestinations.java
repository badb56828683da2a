package io.chorus.chat.stomp;

import java.util.List;

/**
 * The destinations {@link StompSecurityConfiguration} lets clients use, for tests outside this
 * package (the contract test compares them with the AsyncAPI document). Lives in the test
 * sources so the production fields can stay package-private.
 */
public final class StompDestinations {

    private StompDestinations() {
    }

    /** What a client may SUBSCRIBE to. */
    public static List<String> userQueues() {
        return List.of(StompSecurityConfiguration.USER_QUEUES);
    }

    /** What a client may SEND to, as Ant-style patterns ({@code *} for a path segment). */
    public static List<String> appDestinations() {
        List<String> destinations = new java.util.ArrayList<>(List.of(StompSecurityConfiguration.APP_DESTINATIONS));
        destinations.add(StompSecurityConfiguration.TOKEN_REFRESH);
        return List.copyOf(destinations);
    }
}
