package io.chorus.contract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Path templates compared by shape: {@code /a/{id}/b}, {@code /a/{conversationId}/b} and {@code /a/*}{@code /b} are the same. */
final class ContractPaths {

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}/]+}");

    private ContractPaths() {
    }

    /** The template with every variable (or {@code *} segment) written {@code {}}. */
    static String normalise(String template) {
        String named = VARIABLE.matcher(template).replaceAll("{}");
        return named.replaceAll("(?<=/)\\*(?=/|$)", "{}");
    }

    /** A pattern that matches concrete (decoded) paths of the template. */
    static Pattern matcher(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher variables = VARIABLE.matcher(template);
        int last = 0;
        while (variables.find()) {
            regex.append(Pattern.quote(template.substring(last, variables.start()))).append("[^/]+");
            last = variables.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
