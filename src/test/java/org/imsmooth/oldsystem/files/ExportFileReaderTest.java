package org.imsmooth.oldsystem.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.imsmooth.oldsystem.OldSystemMapping;
import org.imsmooth.oldsystem.UnreadableRows;
import org.imsmooth.state.ExportFilesRead;
import org.imsmooth.state.ImportCursors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The export-file reader as the import route drives it (nextPage, then commitPage once the page is on
 * the broker), over a real state database: a reader thrown away mid-file (a kill: its open file and
 * any page read but not committed are lost) and a new one on the same database read on with no
 * record lost or repeated; refused records go to the DLQ once with file and line; files added later
 * are read; a zip reads as its directory; CSV and JSON arrays go through the same mapping.
 */
class ExportFileReaderTest {

    @TempDir Path dir;
    JdbcTemplate state;
    final List<Refusal> refused = new ArrayList<>();

    record Refusal(String kind, String oldId, Map<String, Object> key, String reason) {
    }

    @BeforeEach
    void stateDatabase() {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:files-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        state = new JdbcTemplate(ds);
    }

    private ExportFileReader reader(Path export, Map<String, ExportFilesProperties.Kind> kinds) {
        var sink = new UnreadableRows() {
            @Override
            public void unreadable(String kind, String oldId, Map<String, Object> key, String error) {
                throw new AssertionError("not for files");
            }

            @Override
            public void refused(String kind, String oldId, Map<String, Object> key, String reason) {
                refused.add(new Refusal(kind, oldId, key, reason));
            }
        };
        var beans = new StaticListableBeanFactory(Map.of("sink", sink));
        return new ExportFileReader(new ExportFilesProperties(export.toString(), "UTC", kinds), new OldSystemMapping(4, 2, Map.of()),
                new ImportCursors(state), new ExportFilesRead(state), beans.getBeanProvider(UnreadableRows.class));
    }

    private static ExportFilesProperties.Kind jsonl(String glob) {
        return new ExportFilesProperties.Kind(glob, "jsonl", null, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null, Map.of());
    }

    /** Pages as the reader route takes them; stops after {@code maxPages} (-1: to the end) without committing the last one read. */
    private static List<Map<String, Object>> read(ExportFileReader reader, String kind, int maxPages, boolean commitLast) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        int pages = 0;
        while (true) {
            List<Map<String, Object>> page = reader.nextPage(kind, exchange);
            pages++;
            if (maxPages > 0 && pages == maxPages && !commitLast) {
                return rows; // killed after reading, before the page reached the broker
            }
            rows.addAll(page);
            reader.commitPage(kind, exchange);
            if (!exchange.getProperty("ImMorePages", Boolean.class) || pages == maxPages) {
                return rows;
            }
        }
    }

    private void write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    private static List<String> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> String.valueOf(r.get("source_id"))).toList();
    }

    private void exportOfThreeFiles() throws IOException {
        List<String> a = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            a.add("{\"source_id\":\"a" + i + "\",\"nick\":\"A " + i + "\"}");
        }
        write("users/a.jsonl", a.toArray(String[]::new));
        write("users/b.jsonl", "{\"source_id\":\"b1\"}", "", "{\"source_id\":\"b2\"}", "{\"source_id\":\"b3\"}", "{\"source_id\":\"b4\"}",
                "{\"source_id\":\"b5\"}", "{\"source_id\":\"b6\", \"nick\": tr", "{\"source_id\":\"b7\"}", "{\"nick\":\"no id\"}",
                "{\"source_id\":\"b8\"}");
        write("users/c.jsonl", "{\"source_id\":\"c1\"}", "{\"source_id\":\"c2\"}");
    }

    private static final List<String> ALL = List.of("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9",
            "b1", "b2", "b3", "b4", "b5", "b7", "b8", "c1", "c2");

    @Test
    void aKillMidFileResumesWithoutLossOrDuplicatesAndRefusesBadLinesOnce() throws IOException {
        exportOfThreeFiles();
        var kinds = Map.of("accounts", jsonl("users/*.jsonl"));
        List<Map<String, Object>> rows = new ArrayList<>();
        // killed in a.jsonl after a committed page and an uncommitted one, then in b.jsonl past its bad lines
        rows.addAll(read(reader(dir, kinds), "accounts", 3, false));
        rows.addAll(read(reader(dir, kinds), "accounts", 4, true));
        rows.addAll(read(reader(dir, kinds), "accounts", 2, false));
        rows.addAll(read(reader(dir, kinds), "accounts", -1, true));
        assertThat(ids(rows)).containsExactlyElementsOf(ALL);
        assertThat(refused).extracting(Refusal::oldId).containsExactly("users/b.jsonl:7", "users/b.jsonl:9");
        assertThat(refused.get(0).reason()).startsWith("users/b.jsonl line 7: ").contains("Unrecognized token");
        assertThat(refused.get(0).key()).containsEntry("file", "users/b.jsonl").containsEntry("line", 7L);
        assertThat(refused.get(1).reason()).isEqualTo("users/b.jsonl line 9: no source_id");
        assertThat(state.queryForList("SELECT file FROM export_file_read WHERE stage = 'accounts' ORDER BY file", String.class))
                .containsExactly("users/a.jsonl", "users/b.jsonl", "users/c.jsonl");

        // the reconciliation's view: every record again, the refused ones by their id; the count the progress uses
        ExportFileReader again = reader(dir, kinds);
        List<Map<String, Object>> scanned = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        again.scan("accounts", scanned::add, unreadable::add);
        assertThat(ids(scanned)).containsExactlyElementsOf(ALL);
        assertThat(unreadable).containsExactly("users/b.jsonl:7", "users/b.jsonl:9");
        assertThat(again.total("accounts")).isEqualTo(ALL.size() + 2);
    }

    @Test
    void filesAddedLaterAreReadWhateverTheirName() throws IOException {
        exportOfThreeFiles();
        var kinds = Map.of("accounts", jsonl("users/*.jsonl"));
        assertThat(ids(read(reader(dir, kinds), "accounts", -1, true))).containsExactlyElementsOf(ALL);
        write("users/0-late.jsonl", "{\"source_id\":\"late1\"}");
        write("users/d.jsonl", "{\"source_id\":\"d1\"}");
        assertThat(ids(read(reader(dir, kinds), "accounts", -1, true))).containsExactly("late1", "d1");
        assertThat(refused).hasSize(2); // the bad lines of b.jsonl, once
    }

    @Test
    void aZipReadsAsItsDirectoryAndResumesInsideAnEntry() throws IOException {
        exportOfThreeFiles();
        Path zip = dir.resolveSibling(dir.getFileName() + ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : List.of("users/a.jsonl", "users/b.jsonl", "users/c.jsonl")) {
                z.putNextEntry(new ZipEntry(name));
                z.write(Files.readAllBytes(dir.resolve(name)));
                z.closeEntry();
            }
        }
        var kinds = Map.of("accounts", jsonl("users/*.jsonl"));
        List<Map<String, Object>> rows = new ArrayList<>(read(reader(zip, kinds), "accounts", 2, true));
        rows.addAll(read(reader(zip, kinds), "accounts", -1, true));
        assertThat(ids(rows)).containsExactlyElementsOf(ALL);
        assertThat(reader(zip, kinds).total("accounts")).isEqualTo(ALL.size() + 2);
    }

    @Test
    void csvAndJsonArraysGoThroughTheSameMappingAndResumeByRecord() throws IOException {
        write("contacts.csv", "owner,contact,added,remark", "u1,u2,2024-01-05T10:00:00+08:00,", "u2,u1,2024-01-05T10:00:00+08:00,\"old, friend\"",
                "u3,u1,1704420000,", "u4,,2024-01-05T10:00:00Z,", "u5,u1,yesterday,", "u6,u1,1704420000,,extra", "u7,u1,1704420000,");
        var friends = new ExportFilesProperties.Kind("contacts.csv", "csv", null,
                Map.of("user_id", "/owner", "friend_id", "/contact", "added_at", "/added", "remark", "/remark"),
                Map.of(), Map.of(), Map.of(), Map.of(), null, Map.of());
        List<Map<String, Object>> rows = new ArrayList<>(read(reader(dir, Map.of("friends", friends)), "friends", 1, true));
        rows.addAll(read(reader(dir, Map.of("friends", friends)), "friends", -1, true));
        assertThat(rows).extracting(r -> r.get("user_id") + ">" + r.get("friend_id") + "@" + r.get("added_at") + " " + r.get("remark"))
                .containsExactly("u1>u2@1704420000 ", "u2>u1@1704420000 old, friend", "u3>u1@1704420000 ", "u7>u1@1704420000 ");
        assertThat(refused).extracting(Refusal::reason).startsWith("contacts.csv record 4 (line 5): no friend_id (/contact)",
                "contacts.csv record 5 (line 6): added_at 'yesterday' is not a time in the format auto (Unix seconds or ISO-8601)");
        assertThat(refused.get(2).reason()).startsWith("contacts.csv record 6 (line 7): Too many entries");
        refused.remove(2);

        write("channels.json", "[{\"id\":\"C1\",\"private\":true,\"created\":1704067200,\"members\":[{\"u\":\"x\",\"r\":\"boss\"},{\"u\":\"y\",\"r\":\"pleb\"}]},",
                " {\"id\":\"C2\",\"private\":false,\"created\":1704067201,\"members\":[{\"u\":\"z\",\"r\":\"emperor\"}]},",
                " {\"id\":\"C3\",\"private\":false,\"created\":1704067202,\"members\":[{\"u\":\"x\",\"r\":\"pleb\"}]}]");
        var members = new ExportFilesProperties.Kind("channels.json", "json-array", ". as $c | .members[] | . + {g: $c.id, t: $c.created}",
                Map.of("group_id", "/g", "user_id", "/u", "role", "/r", "group_created_at", "/t"), Map.of(), Map.of(),
                Map.of("role", Map.of("boss", "owner", "pleb", "member")), Map.of(), null, Map.of());
        rows = new ArrayList<>(read(reader(dir, Map.of("group-members", members)), "group-members", 1, true));
        rows.addAll(read(reader(dir, Map.of("group-members", members)), "group-members", -1, true));
        assertThat(rows).extracting(r -> r.get("group_id") + "/" + r.get("user_id") + ":" + r.get("role") + "@" + r.get("group_created_at"))
                .containsExactly("C1/x:owner@1704067200", "C1/y:member@1704067200", "C3/x:member@1704067202");
        assertThat(refused.get(2).reason()).isEqualTo("channels.json record 2 (line 2): role 'emperor' is not in its value map (codes.role: [boss, pleb])");
    }

    @Test
    void messagesOutOfTimeOrderInTheirConversationAreRefusedNamingBothPlaces() throws IOException {
        write("g/C1.jsonl", "{\"source_id\":\"m1\",\"group_id\":\"C1\",\"sent_at\":\"2024-01-02T10:00:00Z\"}",
                "{\"source_id\":\"m2\",\"group_id\":\"C1\",\"sent_at\":\"2024-01-02T10:05:00Z\"}");
        write("g/C2.jsonl", "{\"source_id\":\"n1\",\"group_id\":\"C2\",\"sent_at\":1704100000}",
                "{\"source_id\":\"m0\",\"group_id\":\"C1\",\"sent_at\":\"2024-01-02T09:00:00Z\"}",
                "{\"source_id\":\"m3\",\"group_id\":\"C1\",\"sent_at\":\"2024-01-02T11:00:00Z\"}");
        var kinds = Map.of("group-messages", jsonl("g/*.jsonl"));
        // a restart after the first page (m1, m2): the new reader knows C1's last time from what was read
        List<Map<String, Object>> rows = new ArrayList<>(read(reader(dir, kinds), "group-messages", 1, true));
        rows.addAll(read(reader(dir, kinds), "group-messages", -1, true));
        assertThat(ids(rows)).containsExactly("m1", "m2", "n1", "m3");
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).oldId()).isEqualTo("m0");
        assertThat(refused.get(0).reason()).isEqualTo("g/C2.jsonl line 2: out of time order: sent_at 1704186000 is before 1704189900"
                + " of the message at g/C1.jsonl:2 in conversation C1 (messages must be sorted by time per conversation: docs/files.md \"Order\")");
    }

    @Test
    void jqSeesTheFilePathAndBuildsMessageBodies() throws IOException {
        write("dms/u1-u2/day1.jsonl", "{\"id\":\"d1\",\"user\":\"u2\",\"ts\":\"1704100000.000200\",\"text\":\"hi\","
                + "\"files\":[{\"url\":\"https://f/x.png\",\"w\":10}]}");
        var c2c = new ExportFilesProperties.Kind("dms/*/*.jsonl", "jsonl",
                ". as $m | ({id: $m.id, kind: \"text\", body: $m.text}, ($m.files[] | {id: ($m.id + \"/img\"), kind: \"image\", body: {url: .url, width: .w}}))"
                        + " | . + {user: $m.user, ts: $m.ts, pair: ($file | split(\"/\") | .[1])}",
                Map.of("source_id", "/id", "from_id", "/user", "kind", "/kind", "body", "/body", "sent_at", "/ts"),
                Map.of("to_id", "(.pair | split(\"-\")) as $p | if .user == $p[0] then $p[1] else $p[0] end"),
                Map.of("sent_at", "seconds"), Map.of(), Map.of(), null, Map.of());
        List<Map<String, Object>> rows = read(reader(dir, Map.of("c2c-messages", c2c)), "c2c-messages", -1, true);
        assertThat(rows).extracting(r -> r.get("source_id") + " " + r.get("from_id") + ">" + r.get("to_id") + " " + r.get("kind") + " "
                + r.get("body") + " @" + r.get("sent_at"))
                .containsExactly("d1 u2>u1 text hi @1704100000", "d1/img u2>u1 image {\"url\":\"https://f/x.png\",\"width\":10} @1704100000");
        assertThat(refused).isEmpty();
    }
}
