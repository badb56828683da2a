package io.chorus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A thin REST client for tests: never throws on an error status, returns status, headers and parsed body. */
public final class RestApi {

    /**
     * One connection pool for every test client, without automatic retries: a test must see a
     * 429 or 503 as the server sent it, not wait out its Retry-After and see the retry's answer.
     */
    private static final HttpComponentsClientHttpRequestFactory REQUESTS = new HttpComponentsClientHttpRequestFactory(
            HttpClients.custom().disableAutomaticRetries().build());

    private final RestClient client;
    private final JsonMapper json;

    public RestApi(String baseUrl, String token, JsonMapper json) {
        this.json = json;
        RestClient.Builder builder = RestClient.builder().baseUrl(baseUrl).requestFactory(REQUESTS)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { });
        if (token != null) {
            builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        this.client = builder.build();
    }

    /** An HTTP response: status, headers and the body as text (empty string when none). */
    public record Response(int status, HttpHeaders headers, String body, JsonMapper mapper) {

        public JsonNode json() {
            return body.isEmpty() ? mapper.nullNode() : mapper.readTree(body);
        }

        public Response status(int expected) {
            assertThat(status).as("HTTP status; body: %s", body).isEqualTo(expected);
            return this;
        }

        public Response ok() {
            return status(200);
        }

        /** Asserts an RFC 9457 problem with the given status and stable code. */
        public Response problem(int expectedStatus, String expectedCode) {
            status(expectedStatus);
            assertThat(headers.getContentType()).as("content type of a problem")
                    .isNotNull()
                    .matches(type -> type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON), "application/problem+json");
            assertThat(json().path("code").asString()).as("problem code; body: %s", body).isEqualTo(expectedCode);
            return this;
        }
    }

    public Response get(String path) {
        return exchange(HttpMethod.GET, path, null);
    }

    public Response post(String path, Object body) {
        return exchange(HttpMethod.POST, path, body);
    }

    public Response patch(String path, Object body) {
        return exchange(HttpMethod.PATCH, path, body);
    }

    public Response put(String path) {
        return exchange(HttpMethod.PUT, path, null);
    }

    public Response delete(String path) {
        return exchange(HttpMethod.DELETE, path, null);
    }

    /** Sends {@code rawBody} exactly as given (malformed JSON, unknown fields...). */
    public Response postRaw(String path, String rawBody) {
        return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(rawBody)
                .exchange((request, response) -> toResponse(response.getStatusCode(), response.getHeaders(),
                        response.bodyTo(String.class)));
    }

    public Response exchange(HttpMethod method, String path, Object body) {
        return exchange(method, path, body, Map.of());
    }

    /** As {@link #exchange(HttpMethod, String, Object)}, with headers of the caller's choosing (an Idempotency-Key, say). */
    public Response exchange(HttpMethod method, String path, Object body, Map<String, String> headers) {
        RestClient.RequestBodySpec spec = client.method(method).uri(path);
        headers.forEach(spec::header);
        if (body != null) {
            spec.contentType(MediaType.APPLICATION_JSON).body(body instanceof String text ? text : json.writeValueAsString(body));
        }
        return spec.exchange((request, response) -> toResponse(response.getStatusCode(), response.getHeaders(),
                response.bodyTo(String.class)));
    }

    private Response toResponse(HttpStatusCode status, HttpHeaders headers, String body) {
        return new Response(status.value(), headers, body == null ? "" : body, json);
    }

    public static Map<String, Object> body(Object... keysAndValues) {
        java.util.LinkedHashMap<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
