package io.chorus.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code frontend-contract/openapi.yaml}, and the checks of real exchanges against it: the
 * request must conform (or, for a request the test makes wrong on purpose, must not), the
 * response must match the documented status, content type and schema, and a problem's code
 * must be one the document lists for that response. Remembers which documented responses
 * the exchanges have shown, so a test can demand that every one was seen.
 */
final class OpenApiContract {

    static final Path LOCATION = Path.of("frontend-contract", "openapi.yaml");

    /** An operation of the document: method, path template and its documented responses. */
    record DocumentedOperation(String method, String path, Pattern matcher, Map<String, ApiResponse> responses) {

        String key() {
            return method + " " + ContractPaths.normalise(path);
        }
    }

    /** One HTTP exchange as the client made and saw it; {@code pathAndQuery} is not percent-encoded. */
    record Exchange(String method, String pathAndQuery, String authorization, String requestBody, int status,
            String contentType, String responseBody) {
    }

    private final OpenAPI api;
    private final List<DocumentedOperation> operations;
    private final OpenApiInteractionValidator validator;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private OpenApiContract(OpenAPI api, OpenApiInteractionValidator validator) {
        this.api = api;
        this.validator = validator;
        this.operations = operationsOf(api);
    }

    static OpenApiContract load() {
        String url = LOCATION.toAbsolutePath().toUri().toString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readLocation(url, null, options);
        assertThat(parsed.getMessages()).as("problems parsing %s", LOCATION).isEmpty();
        assertThat(parsed.getOpenAPI()).as("OpenAPI model of %s", LOCATION).isNotNull();
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForSpecificationUrl(url)
                // The point of the contract: a field the document does not name fails, in both directions.
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.response.body.schema.additionalProperties", ValidationReport.Level.ERROR)
                        .withLevel("validation.request.body.schema.additionalProperties", ValidationReport.Level.ERROR)
                        .withLevel("validation.response.status.unknown", ValidationReport.Level.ERROR)
                        .build())
                .build();
        return new OpenApiContract(parsed.getOpenAPI(), validator);
    }

    OpenAPI model() {
        return api;
    }

    List<DocumentedOperation> operations() {
        return operations;
    }

    /** Checks one exchange against the document; {@code requestConforms} says whether the test meant the request to be valid. */
    void check(Exchange exchange, boolean requestConforms) {
        String path = pathOf(exchange.pathAndQuery());
        DocumentedOperation operation = operationFor(exchange.method(), path);
        String what = exchange.method() + " " + exchange.pathAndQuery() + " -> " + exchange.status() + " "
                + exchange.responseBody();

        ValidationReport request = validator.validateRequest(request(exchange, path));
        if (requestConforms) {
            assertThat(request.getMessages()).as("request does not conform to %s: %s%n%s", LOCATION, what,
                    format(request)).noneMatch(message -> message.getLevel() == ValidationReport.Level.ERROR);
        } else {
            assertThat(request.hasErrors())
                    .as("the server refused %s, but %s allows that request: it should document the constraint", what,
                            LOCATION)
                    .isTrue();
        }

        SimpleResponse.Builder response = new SimpleResponse.Builder(exchange.status());
        if (exchange.contentType() != null) {
            response.withContentType(exchange.contentType());
        }
        if (!exchange.responseBody().isEmpty()) {
            response.withBody(exchange.responseBody());
        }
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(exchange.method()),
                response.build());
        assertThat(report.hasErrors()).as("response does not match %s: %s%n%s", LOCATION, what, format(report))
                .isFalse();

        if (exchange.status() >= 400) {
            ApiResponse documented = operation.responses().get(String.valueOf(exchange.status()));
            Object codes = documented.getExtensions() == null ? null : documented.getExtensions().get("x-codes");
            assertThat(codes).as("x-codes of %s %s", operation.key(), exchange.status()).isInstanceOf(List.class);
            String code = ContractJson.problemCode(exchange.responseBody());
            assertThat(((List<?>) codes).stream().map(String::valueOf).toList()).as("problem codes %s documents for %s %s; got %s", LOCATION, operation.key(),
                    exchange.status(), what).contains(code);
        }
        seen.add(operation.key() + " " + exchange.status());
    }

    /** Documented responses (operation and status) that no checked exchange has shown. */
    Set<String> unseenResponses() {
        Set<String> unseen = new TreeSet<>();
        for (DocumentedOperation operation : operations) {
            for (String status : operation.responses().keySet()) {
                if (!seen.contains(operation.key() + " " + status)) {
                    unseen.add(operation.key() + " " + status);
                }
            }
        }
        return unseen;
    }

    private DocumentedOperation operationFor(String method, String path) {
        return operations.stream()
                .filter(operation -> operation.method().equals(method) && operation.matcher().matcher(path).matches())
                .findFirst()
                .orElseThrow(() -> new AssertionError(LOCATION + " documents no operation for " + method + " " + path));
    }

    private static SimpleRequest request(Exchange exchange, String path) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), path);
        queryOf(exchange.pathAndQuery()).forEach(request::withQueryParam);
        if (exchange.authorization() != null) {
            request.withAuthorization(exchange.authorization());
        }
        if (exchange.requestBody() != null) {
            request.withContentType("application/json").withBody(exchange.requestBody());
        }
        return request.build();
    }

    private static List<DocumentedOperation> operationsOf(OpenAPI api) {
        List<DocumentedOperation> operations = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operations.add(new DocumentedOperation(method.name(), path, ContractPaths.matcher(path),
                        new LinkedHashMap<>(operation.getResponses())))));
        return operations;
    }

    static String pathOf(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    private static Map<String, List<String>> queryOf(String pathAndQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        int start = pathAndQuery.indexOf('?');
        if (start < 0) {
            return query;
        }
        for (String pair : pathAndQuery.substring(start + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String format(ValidationReport report) {
        return SimpleValidationReportFormat.getInstance().apply(report);
    }
}
