package io.chorus.monitoring;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Prometheus text exposition, as a scraper reads it: samples by name and labels. */
record PrometheusScrape(String text) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$",
            Pattern.MULTILINE);

    /** The sum of the samples named {@code name} whose labels contain every one of {@code labels} ({@code key="value"}). */
    double value(String name, String... labels) {
        Matcher sample = SAMPLE.matcher(text);
        double sum = 0;
        boolean found = false;
        while (sample.find()) {
            if (!sample.group(1).equals(name)) {
                continue;
            }
            String present = sample.group(2) == null ? "" : sample.group(2);
            boolean all = true;
            for (String label : labels) {
                all &= present.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(sample.group(3));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("No sample " + name + " with " + String.join(", ", labels) + " in the scrape");
        }
        return sum;
    }

    boolean has(String name) {
        return Pattern.compile("^" + Pattern.quote(name) + "[{ ]", Pattern.MULTILINE).matcher(text).find();
    }
}
