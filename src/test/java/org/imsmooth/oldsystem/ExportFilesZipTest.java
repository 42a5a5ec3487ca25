package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A zipped export as the old system: Camel's file consumer watches the zip file itself and, once it
 * is complete, records the entries each kind's glob matches; the import reads them streamed from the
 * zip and the reconciliation, reading the zip again, balances.
 */
class ExportFilesZipTest extends ExportFilesTestSupport {

    static final Path DIR;
    static final Path ZIP;

    static {
        try {
            DIR = Files.createTempDirectory("imsmooth-export-zip-");
            ZIP = DIR.resolve("export.zip");
            long start = System.currentTimeMillis() / 1000 - 86_400;
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(ZIP))) {
                StringBuilder accounts = new StringBuilder();
                for (int u = 1; u <= 10; u++) {
                    accounts.append("{\"source_id\":\"z").append(u).append("\",\"nick\":\"Z ").append(u).append("\"}\n");
                }
                entry(zip, "accounts.jsonl", accounts.toString());
                StringBuilder messages = new StringBuilder();
                for (int i = 0; i < 50; i++) {
                    messages.append("{\"source_id\":\"zm").append(i).append("\",\"from_id\":\"z").append(1 + i % 5)
                            .append("\",\"to_id\":\"z").append(10 - i % 5).append("\",\"kind\":\"text\",\"body\":\"zipped ").append(i)
                            .append("\",\"sent_at\":").append(start + i).append("}\n");
                }
                entry(zip, "c2c-messages.jsonl", messages.toString());
                entry(zip, "notes/readme.txt", "not matched by any glob\n");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream out = zip;
        out.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    @DynamicPropertySource
    static void export(DynamicPropertyRegistry registry) {
        registry.add("OLD_SYSTEM_FILES", ZIP::toString);
    }

    @AfterAll
    static void deleteExport() throws IOException {
        Files.deleteIfExists(ZIP);
        Files.deleteIfExists(DIR);
    }

    @Test
    void zippedExportMigratesAndBalances() {
        assertThat(camel.getRoute("export-files-accounts").getEndpoint().getEndpointUri()).contains("fileName=export.zip");
        ReconciliationReport report = awaitBalancedReport(null, () -> true);
        assertThat(line(report, "c2c-messages").acknowledged()).isEqualTo(50);
        assertThat(state.queryForList("SELECT stage || ':' || file FROM export_file_found ORDER BY stage", String.class))
                .containsExactly("accounts:accounts.jsonl", "c2c-messages:c2c-messages.jsonl");
    }
}
