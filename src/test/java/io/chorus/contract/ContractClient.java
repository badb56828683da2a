package io.chorus.contract;

import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpMethod;

/**
 * A REST client for one caller whose every exchange is checked against the OpenAPI document.
 * Paths are written unencoded ({@code /reactions/👍}); bodies are maps (sent as JSON) or raw
 * strings (sent as they are).
 */
final class ContractClient {

    private final TestClients clients;
    private final OpenApiContract contract;
    private final String token;
    private final boolean conforming;
    private final Map<String, String> headers;

    private ContractClient(TestClients clients, OpenApiContract contract, String token, boolean conforming,
            Map<String, String> headers) {
        this.clients = clients;
        this.contract = contract;
        this.token = token;
        this.conforming = conforming;
        this.headers = headers;
    }

    static ContractClient as(TestClients clients, OpenApiContract contract, TestUser user) {
        return new ContractClient(clients, contract, user.token(), true, Map.of());
    }

    /** A caller with a bearer token of its own: a bot's API token, say. */
    static ContractClient withToken(TestClients clients, OpenApiContract contract, String token) {
        return new ContractClient(clients, contract, token, true, Map.of());
    }

    static ContractClient anonymous(TestClients clients, OpenApiContract contract) {
        return new ContractClient(clients, contract, null, true, Map.of());
    }

    /** The same caller sending {@code name: value} with every request (an Idempotency-Key, say). */
    ContractClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ContractClient(clients, contract, token, conforming, Map.copyOf(more));
    }

    /**
     * The same caller making requests that break the documented rules on purpose: the check
     * then demands that the document rejects them too, so its constraints match the server's.
     */
    ContractClient violating() {
        return new ContractClient(clients, contract, token, false, headers);
    }

    RestApi.Response get(String path) {
        return call(HttpMethod.GET, path, null);
    }

    RestApi.Response post(String path, Object body) {
        return call(HttpMethod.POST, path, body);
    }

    RestApi.Response patch(String path, Object body) {
        return call(HttpMethod.PATCH, path, body);
    }

    RestApi.Response put(String path) {
        return call(HttpMethod.PUT, path, null);
    }

    RestApi.Response put(String path, Object body) {
        return call(HttpMethod.PUT, path, body);
    }

    RestApi.Response delete(String path) {
        return call(HttpMethod.DELETE, path, null);
    }

    RestApi.Response call(HttpMethod method, String path, Object body) {
        String json = body == null ? null : body instanceof String raw ? raw : clients.json().writeValueAsString(body);
        RestApi.Response response = (token == null ? clients.anonymous() : clients.rest(token))
                .exchange(method, path, json, headers);
        String contentType = response.headers().getContentType() == null ? null
                : response.headers().getContentType().toString();
        contract.check(new OpenApiContract.Exchange(method.name(), path, token == null ? null : "Bearer " + token,
                headers, json, response.status(), contentType, response.body()), conforming);
        return response;
    }
}
