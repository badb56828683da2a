package io.chorus.contract;

import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
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

    private ContractClient(TestClients clients, OpenApiContract contract, String token, boolean conforming) {
        this.clients = clients;
        this.contract = contract;
        this.token = token;
        this.conforming = conforming;
    }

    static ContractClient as(TestClients clients, OpenApiContract contract, TestUser user) {
        return new ContractClient(clients, contract, user.token(), true);
    }

    static ContractClient anonymous(TestClients clients, OpenApiContract contract) {
        return new ContractClient(clients, contract, null, true);
    }

    /**
     * The same caller making requests that break the documented rules on purpose: the check
     * then demands that the document rejects them too, so its constraints match the server's.
     */
    ContractClient violating() {
        return new ContractClient(clients, contract, token, false);
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
        RestApi api = token == null ? clients.anonymous() : clients.rest(token);
        RestApi.Response response = api.exchange(method, path, json);
        String contentType = response.headers().getContentType() == null ? null
                : response.headers().getContentType().toString();
        contract.check(new OpenApiContract.Exchange(method.name(), path, token == null ? null : "Bearer " + token,
                json, response.status(), contentType, response.body()), conforming);
        return response;
    }
}
