package io.chorus.platform.internal;

import io.chorus.platform.ProblemCodes;
import io.chorus.platform.UnacceptableTextException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the query string before anything else does (security, role checks, handlers), so that a
 * malformed one ({@code ?=x}, {@code %FF}, {@code %ZZ}) is a {@code 400 MALFORMED_REQUEST} and a
 * parameter holding text no storage can keep (NUL, a lone surrogate) a
 * {@code 400 VALIDATION_FAILED}, instead of whatever the container or a handler makes of it.
 */
final class QueryStringCheck extends OncePerRequestFilter implements Ordered {

    @Override
    public int getOrder() {
        // Right after the character encoding filter, before Spring Security (-100).
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (name == null || name.isEmpty() || value == null) {
                    EdgeProblems.write(response, 400, ProblemCodes.MALFORMED_REQUEST,
                            "The query string is malformed: every parameter needs a name, and percent-escapes "
                                    + "must encode UTF-8.");
                    return;
                }
                String flaw = UnacceptableTextException.flawIn(name + value);
                if (flaw != null) {
                    EdgeProblems.write(response, 400, ProblemCodes.VALIDATION_FAILED,
                            "A query parameter " + flaw + ".");
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    /** Form-style decoding ({@code +} is a space) that refuses a broken escape or bytes that are not UTF-8. */
    private static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c <= 0xFF) {
                // The container hands the raw query over byte for byte, as ISO-8859-1.
                bytes.write(c);
            } else {
                byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }
}
