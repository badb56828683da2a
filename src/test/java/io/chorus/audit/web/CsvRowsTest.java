package io.chorus.audit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CsvRowsTest {

    @Test
    void cellsASpreadsheetWouldRunAsFormulasGetALeadingQuote() throws IOException {
        assertThat(row("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"))
                .isEqualTo("'=1+1,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\"\r\n");
    }

    @Test
    void aNeutralisedCellIsStillQuotedWhenItNeedsIt() throws IOException {
        assertThat(row("=HYPERLINK(\"http://x\",\"y\")", "=a,b")).isEqualTo(
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'=a,b\"\r\n");
    }

    @Test
    void otherCellsAreWrittenAsTheyAre() throws IOException {
        assertThat(row("a = b", "1-2", "x@y", "", null, "2026-01-01T00:00:00Z", "{\"a\":1}"))
                .isEqualTo("a = b,1-2,x@y,,,2026-01-01T00:00:00Z,\"{\"\"a\"\":1}\"\r\n");
    }

    private static String row(String... fields) throws IOException {
        StringWriter out = new StringWriter();
        new CsvRows(out).row(Arrays.asList(fields));
        return out.toString();
    }
}
