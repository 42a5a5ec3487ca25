package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.oldsystem.files.ExportFilesProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * samples/export-jsonl end to end: a provider-shaped export (users, a CSV of contacts, channels with
 * nested members as one JSON array, messages with image and file attachments split per channel and
 * day) is the old system, read through the sample's mapping into the sandbox, and the reconciliation,
 * which reads the files again for its counts, balances with the figures the export implies
 * (samples/export-jsonl/README.md), the line cut off mid-export dead-lettered with its file and line.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/export-jsonl/mapping.yml", "oldsystem.demo.enabled=false",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class ExportFilesSampleMigrationTest extends RealDatabaseMigrationSupport {

    @Autowired ExportFilesProperties files;

    @Test
    void wholeExportMigratesAndBalances() {
        assertThat(files.kinds()).as("the sample's mapping is loaded").containsKey("group-messages");
        wholeMigrationBalances(Map.of(
                // 8 users, 1 deactivated
                "accounts", new Expected(7, 7, 0, 0),
                "profiles", new Expected(7, 7, 0, 0),
                // 6 contact pairs, a row per direction
                "friends", new Expected(12, 12, 0, 0),
                // 30 lines with text, 9 attachments (images and files): one IM message each
                "c2c-messages", new Expected(39, 39, 0, 0),
                "c2c-read-marks", new Expected(6, 6, 0, 0),
                "groups", new Expected(3, 3, 0, 0),
                "group-members", new Expected(14, 14, 0, 0),
                // 36 lines: 33 texts and 11 attachments; the line cut off mid-export is dead-lettered
                "group-messages", new Expected(45, 44, 1, 0),
                "group-unread", new Expected(14, 14, 0, 0)));
        List<Map<String, Object>> refused = state.queryForList(
                "SELECT old_id, detail FROM id_map WHERE kind = 'group-messages' AND state = 'rejected'");
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).get("OLD_ID")).isEqualTo("channels/C02/2024-01-03.jsonl:3");
        assertThat((String) refused.get(0).get("DETAIL")).startsWith("channels/C02/2024-01-03.jsonl line 3: ");
    }
}
