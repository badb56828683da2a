package io.chorus.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * The RFC 9457 body for a refusal written where Spring MVC's problem handling does not reach
 * (the servlet container, filters, the WebSocket handshake), shaped like the ones it writes.
 * The detail is always ours: what the caller sent is never echoed.
 */
public final class ProblemDocument {

    private ProblemDocument() {
    }

    public static String json(int status, String code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        HttpStatus known = HttpStatus.resolve(status);
        problem.put("type", "about:blank");
        problem.put("title", known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("code", code);
        return JsonMapper.shared().writeValueAsString(problem);
    }
}
