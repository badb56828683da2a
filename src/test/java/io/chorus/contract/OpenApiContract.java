package io.chorus.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.util.MimeType;

/**
 * {@code frontend-contract/openapi.yaml}, and the checks of real exchanges against it: the
 * request must conform (or, for a request the test makes wrong on purpose, must not), the
 * response must match the documented status, content type and schema, and a problem's code
 * must be one the document lists for that response. Bodies the validator cannot read
 * (streamed exports) are checked as the document says in extensions of their media type:
 * {@code x-line-schema} names the component schema every line of a JSON-lines body must match,
 * {@code x-columns} the header row of a CSV body (and so how many fields every row has).
 * Remembers which documented responses the exchanges have shown, so a test can demand that
 * every one was seen.
 */
final class OpenApiContract {

    static final Path LOCATION = Path.of("frontend-contract", "openapi.yaml");

    /** An operation of the document: method, path template and its documented responses. */
    record DocumentedOperation(String method, String path, Pattern matcher, Map<String, ApiResponse> responses) {

        String key() {
            return method + " " + ContractPaths.normalise(path);
        }
    }

    /**
     * One HTTP exchange as the client made and saw it; {@code pathAndQuery} is not percent-encoded,
     * {@code headers} are those the client chose besides Authorization.
     */
    record Exchange(String method, String pathAndQuery, String authorization, Map<String, String> headers,
            String requestBody, int status, String contentType, String responseBody) {
    }

    private final OpenAPI api;
    private final List<DocumentedOperation> operations;
    private final OpenApiInteractionValidator validator;
    private final SchemaValidator schemas;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private OpenApiContract(OpenAPI api, OpenApiInteractionValidator validator, LevelResolver levels) {
        this.api = api;
        this.validator = validator;
        this.schemas = new SchemaValidator(api, new MessageResolver(levels));
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
        // The point of the contract: a field the document does not name fails, in both directions.
        LevelResolver levels = LevelResolver.create()
                .withLevel("validation.response.body.schema.additionalProperties", ValidationReport.Level.ERROR)
                .withLevel("validation.request.body.schema.additionalProperties", ValidationReport.Level.ERROR)
                .withLevel("validation.response.status.unknown", ValidationReport.Level.ERROR)
                .build();
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForSpecificationUrl(url)
                .withLevelResolver(levels)
                .build();
        return new OpenApiContract(parsed.getOpenAPI(), validator, levels);
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
        MediaType media = documentedMedia(operation, exchange);
        if (media != null && media.getExtensions() != null) {
            Object lineSchema = media.getExtensions().get("x-line-schema");
            if (lineSchema != null) {
                checkLines(String.valueOf(lineSchema), exchange.responseBody(), what);
            }
            Object columns = media.getExtensions().get("x-columns");
            if (columns != null) {
                checkCsv(((List<?>) columns).stream().map(String::valueOf).toList(), exchange.responseBody(), what);
            }
        }

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

    /** The documented media type of the response's status that the response's content type is. */
    private static MediaType documentedMedia(DocumentedOperation operation, Exchange exchange) {
        ApiResponse documented = operation.responses().get(String.valueOf(exchange.status()));
        if (documented == null || documented.getContent() == null || exchange.contentType() == null) {
            return null;
        }
        MimeType actual = MimeType.valueOf(exchange.contentType());
        return documented.getContent().entrySet().stream()
                .filter(entry -> MimeType.valueOf(entry.getKey()).equalsTypeAndSubtype(actual))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Every line of a JSON-lines body matches the named component schema; the body ends with a line end. */
    private void checkLines(String component, String body, String what) {
        Schema<?> schema = api.getComponents().getSchemas().get(component);
        assertThat(schema).as("component schema %s that %s names in x-line-schema", component, LOCATION).isNotNull();
        assertThat(body.isEmpty() || body.endsWith("\n")).as("JSON lines end with a line end: %s", what).isTrue();
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            ValidationReport report = schemas.validate(line, schema, "response.body");
            assertThat(report.hasErrors()).as("a line does not match %s of %s: %s%nin %s%n%s", component, LOCATION,
                    line, what, format(report)).isFalse();
        }
    }

    /** A CSV body (RFC 4180) starts with the documented header row, and every row has as many fields. */
    private static void checkCsv(List<String> columns, String body, String what) {
        List<List<String>> rows = csvRows(body);
        assertThat(rows).as("CSV rows of %s", what).isNotEmpty();
        assertThat(rows.getFirst()).as("CSV header row, as x-columns of %s says: %s", LOCATION, what)
                .isEqualTo(columns);
        assertThat(rows).as("every CSV row has the %d documented fields: %s", columns.size(), what)
                .allSatisfy(row -> assertThat(row).hasSize(columns.size()));
    }

    /** Parses RFC 4180 records ended by CRLF; quoted fields may hold commas, quotes ("") and line breaks. */
    static List<List<String>> csvRows(String body) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < body.length() && body.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(quoted).as("a CSV body ends outside quotes").isFalse();
        assertThat(row.isEmpty() && field.isEmpty()).as("a CSV body ends with CRLF").isTrue();
        return rows;
    }

    /** Documented responses (operation and status) that no checked exchange has shown. */
    Set<String> unseenResponses() {
        Set<String> unseen = new TreeSet<>();
        for (DocumentedOperation operation : operations) {
            for (String status : operation.responses().keySet()) {
                if (integrationLimit(operation.responses().get(status))) {
                    // The integrations' 429 is the same on every operation bots call:
                    // RateLimitContractTest shows it once for each kind of limit.
                    continue;
                }
                if (!seen.contains(operation.key() + " " + status)) {
                    unseen.add(operation.key() + " " + status);
                }
            }
        }
        return unseen;
    }

    /** A response that is {@code components/responses/RateLimited}: an integration over one of its rate limits. */
    static boolean integrationLimit(ApiResponse response) {
        return response.getExtensions() != null && Boolean.TRUE.equals(response.getExtensions().get("x-integration-limit"));
    }

    /**
     * The documented operation a request reaches. As OpenAPI says, a concrete path wins over a
     * templated one that also matches: {@code /a/b/{x}} before {@code /a/{x}/{y}}.
     */
    private DocumentedOperation operationFor(String method, String path) {
        return operations.stream()
                .filter(operation -> operation.method().equals(method) && operation.matcher().matcher(path).matches())
                // As Spring MVC picks: a literal segment beats a variable (a path with fewer variables).
                .min(Comparator.comparingLong(operation -> operation.path().chars().filter(c -> c == '{').count()))
                .orElseThrow(() -> new AssertionError(LOCATION + " documents no operation for " + method + " " + path));
    }

    private static SimpleRequest request(Exchange exchange, String path) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), path);
        queryOf(exchange.pathAndQuery()).forEach(request::withQueryParam);
        if (exchange.authorization() != null) {
            request.withAuthorization(exchange.authorization());
        }
        exchange.headers().forEach(request::withHeader);
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
