package io.chorus.platform.internal;

import io.chorus.platform.ChorusProblem;
import io.chorus.platform.DatabaseUnavailable;
import io.chorus.platform.ProblemCodes;
import io.chorus.platform.UnacceptableTextException;
import java.util.List;
import java.util.Map;
import org.hibernate.exception.JDBCConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Turns every REST failure into an RFC 9457 problem with a stable {@code code}, so clients
 * branch on the code and never on the wording.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(ChorusProblem.class)
    ResponseEntity<ProblemDetail> chorusProblem(ChorusProblem problem) {
        ResponseEntity<ProblemDetail> response = problem(problem.status(), problem.code(), problem.getMessage());
        if (!problem.errors().isEmpty() && response.getBody() != null) {
            response.getBody().setProperty("errors", problem.errors().stream()
                    .map(error -> Map.of("field", error.field(), "message", error.message())).toList());
        }
        if (response.getBody() != null) {
            problem.extensions().forEach(response.getBody()::setProperty);
        }
        if (problem.retryAfterSeconds().isPresent()) {
            return ResponseEntity.status(response.getStatusCode())
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(problem.retryAfterSeconds().get()))
                    .body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException denied) {
        return problem(HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "You may not do this.");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException mismatch) {
        return problem(HttpStatus.BAD_REQUEST, ProblemCodes.VALIDATION_FAILED,
                "Parameter '" + mismatch.getName() + "' has an invalid value.");
    }

    /**
     * The database cannot be reached: 503, retryable, and no stack trace per request
     * ({@link DatabaseAvailability} logs the outage once). The failure may come wrapped in any
     * exception, so {@link #unexpected} asks too.
     */
    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
            DataAccessResourceFailureException.class, JDBCConnectionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception failure) {
        if (!DatabaseUnavailable.isCause(failure)) {
            return unexpected(failure);
        }
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseOutage.RETRY_AFTER_SECONDS))
                .body(detail(HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.DATABASE_UNAVAILABLE,
                        DatabaseUnavailable.DETAIL));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception failure) {
        if (DatabaseUnavailable.isCause(failure)) {
            return databaseUnavailable(failure);
        }
        log.error("Unexpected failure", failure);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR,
                "Something went wrong on our side; nothing you sent was the cause.");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException invalid,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = invalid.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(),
                        "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        ProblemDetail body = detail(HttpStatus.BAD_REQUEST, ProblemCodes.VALIDATION_FAILED,
                "The request has invalid fields.");
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(body);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException invalid,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = invalid.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> Map.of("field", result.getMethodParameter().getParameterName(),
                                "message", String.valueOf(error.getDefaultMessage()))))
                .toList();
        ProblemDetail body = detail(HttpStatus.BAD_REQUEST, ProblemCodes.VALIDATION_FAILED,
                "The request has invalid parameters.");
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(body);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException unreadable,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (unreadable.getMostSpecificCause() instanceof ChorusProblem refused) {
            // A value object refused what it was built from (a card with too many actions, say): its own words.
            return ResponseEntity.status(refused.status()).body(detail(refused.status(), refused.code(),
                    refused.getMessage()));
        }
        if (unreadable.getMostSpecificCause() instanceof UnacceptableTextException text) {
            String field = fieldPath(text);
            ProblemDetail body = detail(HttpStatus.BAD_REQUEST, ProblemCodes.VALIDATION_FAILED,
                    "The request has invalid fields.");
            body.setProperty("errors", List.of(Map.of("field", field, "message", text.getOriginalMessage())));
            return ResponseEntity.badRequest().body(body);
        }
        // Name the offending field, but never echo the parser's message: it quotes input and class names.
        String detail = switch (unreadable.getMostSpecificCause()) {
            case PropertyBindingException unknown -> "Unknown field '" + unknown.getPropertyName() + "'.";
            case DatabindException invalid when !invalid.getPath().isEmpty() ->
                    "Field '" + fieldPath(invalid) + "' has a value of the wrong type or format.";
            default -> "The request body is not valid JSON for this operation.";
        };
        return ResponseEntity.badRequest().body(detail(HttpStatus.BAD_REQUEST, ProblemCodes.MALFORMED_REQUEST, detail));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && problem.getProperties() == null) {
            problem.setProperty("code", codeFor(ex, statusCode));
        }
        return response;
    }

    private static String codeFor(Exception ex, HttpStatusCode status) {
        if (ex instanceof NoResourceFoundException) {
            return ProblemCodes.NOT_FOUND;
        }
        if (ex instanceof HttpRequestMethodNotSupportedException) {
            return ProblemCodes.METHOD_NOT_ALLOWED;
        }
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return ProblemCodes.UNSUPPORTED_MEDIA_TYPE;
        }
        return status.is4xxClientError() ? ProblemCodes.MALFORMED_REQUEST : ProblemCodes.INTERNAL_ERROR;
    }

    private static String fieldPath(DatabindException invalid) {
        return invalid.getPath().stream()
                .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .reduce((parent, child) -> child.startsWith("[") ? parent + child : parent + "." + child)
                .orElse("");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail) {
        return ResponseEntity.status(status).body(detail(status, code, detail));
    }

    private static ProblemDetail detail(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("code", code);
        return problem;
    }
}
