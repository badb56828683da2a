package io.chorus.platform.internal;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page every {@code sendError} of the servlet container or a filter ends up at, in
 * place of Spring Boot's own JSON: a problem document whose code follows the status. Asked for
 * directly, {@code /error} is an address with nothing at it.
 */
@RestController
class ErrorProblems implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code && code >= 400
                ? code : HttpStatus.NOT_FOUND.value();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status),
                EdgeProblems.detailFor(status));
        problem.setProperty("code", EdgeProblems.codeFor(status));
        // The address that failed, as for every other problem; not this error page's own.
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String failed) {
            try {
                problem.setInstance(URI.create(failed));
            } catch (IllegalArgumentException unparseable) {
                // Not a URI reference (the very reason it was refused, perhaps): left out.
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
