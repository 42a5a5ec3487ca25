package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A long-running service over an export directory that keeps growing (docs/files.md "Files added
 * later"): the import of the first files finishes and balances; then a message file (written under a
 * name outside the glob and renamed into it, as a copy tool does) and an account file with the users
 * it names land in the directory, in that order, 150 ms apart; Camel's file consumers find them, their stages read
 * again from their cursors (accounts first, the messages' calls held until the new accounts are done), each new file
 * is read once, and the import finishes again with a reconciliation that balances with every record.
 */
class ExportFilesAddedLaterTest extends ExportFilesTestSupport {

    static final Path EXPORT;

    static {
        try {
            EXPORT = Files.createTempDirectory("imsmooth-export-added-later-");
            write(EXPORT.resolve("accounts.jsonl"), accounts(1, 20));
            write(EXPORT.resolve("c2c-messages-1.jsonl"), messages("m", 0, 100, 20));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void export(DynamicPropertyRegistry registry) {
        registry.add("OLD_SYSTEM_FILES", EXPORT::toString);
    }

    @AfterAll
    static void deleteExport() throws IOException {
        try (var files = Files.walk(EXPORT)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Autowired ImportOrchestrator orchestrator;

    @Test
    void filesAddedAfterTheirStageFinishedAreReadOnceAndTheImportBalancesAgain() throws IOException, InterruptedException {
        assertThat(camel.getRoute("export-files-c2c-messages").getEndpoint().getEndpointUri())
                .as("the export is consumed through Camel's file component").startsWith("file://").contains("noop=true");
        ReconciliationReport first = awaitBalancedReport(null);
        assertThat(line(first, "accounts").oldTotal()).isEqualTo(20);
        assertThat(line(first, "c2c-messages").acknowledged()).isEqualTo(100);

        // new users, and messages between new and old users, later in time than the first file's; the
        // messages land first: whichever kind's file consumer finds its file first, the accounts are read first
        Path partial = EXPORT.resolve("incoming.part");
        write(partial, messages("n", 100, 160, 25));
        Files.move(partial, EXPORT.resolve("c2c-messages-2.jsonl"), StandardCopyOption.ATOMIC_MOVE);
        // within the messages file's stable age (300 ms): the messages' file consumer can take its file first
        Thread.sleep(150);
        write(EXPORT.resolve("accounts-2.jsonl"), accounts(21, 25));

        ReconciliationReport second = awaitBalancedReport(first);
        assertThat(line(second, "accounts").acknowledged()).isEqualTo(25);
        assertThat(line(second, "c2c-messages").oldTotal()).isEqualTo(160);
        assertThat(line(second, "c2c-messages").acknowledged()).isEqualTo(160);
        assertThat(line(second, "c2c-messages").deadLettered()).isZero();
        // each file read to its end once, every message imported once
        assertThat(state.queryForList("SELECT file FROM export_file_read WHERE stage = 'c2c-messages' ORDER BY file", String.class))
                .containsExactly("c2c-messages-1.jsonl", "c2c-messages-2.jsonl");
        assertThat(state.queryForObject("SELECT COUNT(*) FROM id_map WHERE kind = 'c2c-messages' AND state = 'done'", Long.class))
                .isEqualTo(160);
        assertThat(state.queryForObject("SELECT COUNT(*) FROM export_file_found WHERE file LIKE '%.part'", Long.class))
                .as("a file outside the glob is never taken").isZero();
        // the new messages' calls waited for the new accounts
        java.sql.Timestamp firstNewMessage = state.queryForObject(
                "SELECT MIN(created_at) FROM id_map WHERE kind = 'c2c-messages' AND state = 'done' AND old_id LIKE 'n%'",
                java.sql.Timestamp.class);
        java.sql.Timestamp accountsDone = state.queryForObject("SELECT finished_at FROM stage_progress WHERE stage = 'accounts'",
                java.sql.Timestamp.class);
        assertThat(firstNewMessage).isAfterOrEqualTo(accountsDone);
    }

    private ReconciliationReport awaitBalancedReport(ReconciliationReport after) {
        return awaitBalancedReport(after, orchestrator::isFinished);
    }

    private static String accounts(int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int u = from; u <= to; u++) {
            out.append("{\"source_id\":\"u").append(u).append("\",\"nick\":\"User ").append(u).append("\"}\n");
        }
        return out.toString();
    }

    /** Messages {@code from}..{@code to}-1 over ten conversations among users 1..users, one second apart. */
    private static String messages(String prefix, int from, int to, int users) {
        long start = System.currentTimeMillis() / 1000 - 86_400;
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            int a = 1 + (i % 10);
            int b = users - (i % 10);
            out.append("{\"source_id\":\"").append(prefix).append(i).append("\",\"from_id\":\"u").append(a).append("\",\"to_id\":\"u").append(b)
                    .append("\",\"kind\":\"text\",\"body\":\"message ").append(i).append("\",\"sent_at\":").append(start + i).append("}\n");
        }
        return out.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

}
