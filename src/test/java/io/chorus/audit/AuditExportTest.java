package io.chorus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ChorusIntegrationTest
class AuditExportTest {

    private static final int ENTRIES = 100_000;

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;

    /**
     * The export reads the trail through a database cursor while it writes: when the client has
     * read only the first lines, the database transaction reading the entries is still open and
     * most entries have not been written. An export that loaded the result first would have
     * finished its query before the first byte left.
     */
    @Test
    void anExportOfAHundredThousandEntriesIsStreamed() throws Exception {
        TestUser officer = new AuditSetup(clients, trail, jdbc).officer();
        String action = "bulk." + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                INSERT INTO audit.pending_entry (event_key, occurred_at, actor_type, action, target_type, target_id,
                                                 detail)
                SELECT :action || ':' || n, now(), 'SYSTEM', :action, 'ROW', n::text,
                       '{"note":"' || repeat('x', 200) || '","n":' || n || '}'
                FROM generate_series(1, :count) AS n
                """).param("action", action).param("count", ENTRIES).update();
        trail.flush();

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + clients.port()
                        + "/api/v1/audit/export?format=jsonl&action=" + action))
                .header("Authorization", "Bearer " + officer.token()).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/jsonl"));
        assertThat(response.headers().firstValue("content-length")).as("length unknown until the end").isEmpty();
        assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            JsonNode first = json.readTree(lines.readLine());
            assertThat(first.get("action").asString()).isEqualTo(action);
            assertThat(first.get("detail").get("n").asInt()).isEqualTo(1);

            assertThat(openExportReads()).as("the export's cursor is still open after the first line").isEqualTo(1);

            long count = 1;
            long previousSeq = first.get("seq").asLong();
            String line;
            while ((line = lines.readLine()) != null) {
                long seq = json.readTree(line).get("seq").asLong();
                assertThat(seq).isGreaterThan(previousSeq);
                previousSeq = seq;
                count++;
            }
            assertThat(count).isEqualTo(ENTRIES);
        }
    }

    @Test
    void csvExportsQuoteWhatNeedsQuoting() {
        TestUser officer = new AuditSetup(clients, trail, jdbc).officer();
        String action = "csv." + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                INSERT INTO audit.pending_entry (event_key, occurred_at, actor_type, action, detail)
                VALUES (:key, now(), 'SYSTEM', :action, '{"text":"a, \\"b\\"\\nc"}')
                """).param("key", action + ":1").param("action", action).update();
        trail.flush();

        String csv = clients.rest(officer).get("/api/v1/audit/export?format=csv&action=" + action).ok().body();

        String[] rows = csv.split("\r\n");
        assertThat(rows[0]).startsWith("seq,event_key,occurred_at,recorded_at,actor_type,actor_id,action");
        assertThat(rows).hasSize(2);
        assertThat(rows[1]).contains(",SYSTEM,," + action + ",").contains("\"{\"\"text\"\":\"\"a, \\\"\"b\\\"\"\\nc\"\"}\"");
    }

    @Test
    void csvCellsThatASpreadsheetWouldRunAsFormulasAreNeutralised() {
        TestUser officer = new AuditSetup(clients, trail, jdbc).officer();
        String action = "csv." + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                INSERT INTO audit.pending_entry (event_key, occurred_at, actor_type, action, target_type, target_id,
                                                 source_ip, session_id, detail)
                VALUES (:key, now(), 'SYSTEM', :action, '@RESOURCE', '=cmd|'' /C calc''!A0', '-1+2', E'\\tx',
                        '{}')
                """).param("key", action + ":1").param("action", action).update();
        trail.flush();

        String csv = clients.rest(officer).get("/api/v1/audit/export?format=csv&action=" + action).ok().body();
        String jsonl = clients.rest(officer).get("/api/v1/audit/export?format=jsonl&action=" + action).ok().body();

        assertThat(csv.split("\r\n")[1]).contains("," + action + ",'@RESOURCE,'=cmd|' /C calc'!A0,,,'-1+2,'\tx,{}");
        JsonNode exact = json.readTree(jsonl.lines().findFirst().orElseThrow());
        assertThat(exact.get("targetType").asString()).isEqualTo("@RESOURCE");
        assertThat(exact.get("targetId").asString()).isEqualTo("=cmd|' /C calc'!A0");
        assertThat(exact.get("sourceIp").asString()).isEqualTo("-1+2");
        assertThat(exact.get("sessionId").asString()).isEqualTo("\tx");
    }

    private long openExportReads() {
        return jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE query LIKE 'SELECT seq, event_key%FROM audit.entry%ORDER BY seq'
                  AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()
                """).query(Long.class).single();
    }
}
