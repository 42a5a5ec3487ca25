package org.imsmooth.oldsystem.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.imsmooth.state.ExportFilesFound;
import org.imsmooth.state.ExportFilesRead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Camel's file consumer of the export over a real state database: files are recorded once, by their
 * path relative to the export, only when the kind's glob matches and only once complete (a file
 * changed within the stable age is left for a later poll: its time is set ahead here, so no timing is
 * involved); nothing is written into the export; a file already read is not announced again.
 */
class ExportFileDiscoveryTest {

    @TempDir Path export;

    @Test
    void recordsCompleteMatchingFilesOnceAndWritesNothingIntoTheExport() throws Exception {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:discovery-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate state = new JdbcTemplate(ds);
        ExportFilesFound found = new ExportFilesFound(state);
        ExportFilesRead read = new ExportFilesRead(state);
        Files.createDirectories(export.resolve("channels/C01"));
        Files.writeString(export.resolve("channels/C01/2024-01-02.jsonl"), "{}\n");
        Files.writeString(export.resolve("channels/C01/notes.txt"), "not matched\n");
        Path writing = export.resolve("channels/C01/2024-01-03.jsonl");
        Files.writeString(writing, "{}\n");
        // changed "now" as far as the read lock can tell: still being written
        Files.setLastModifiedTime(writing, FileTime.from(Instant.now().plus(Duration.ofHours(1))));
        var kinds = Map.of("group-messages", new ExportFilesProperties.Kind("channels/*/*.jsonl", "jsonl", null, Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of(), null, Map.of()));
        ExportFileDiscovery discovery = new ExportFileDiscovery(new ExportFilesProperties(export.toString(), "UTC", kinds), found, read,
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(60));
        List<String> announced = new CopyOnWriteArrayList<>();
        discovery.whenMoreToRead(announced::add);
        try (var camel = new DefaultCamelContext()) {
            camel.addRoutes(discovery);
            camel.start();
            discovery.awaitFreshPoll("group-messages");
            assertThat(discovery.files("group-messages")).containsExactly("channels/C01/2024-01-02.jsonl");
            assertThat(announced).containsExactly("group-messages");

            read.finished("group-messages", "channels/C01/2024-01-02.jsonl", 1);
            Files.setLastModifiedTime(writing, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
            discovery.awaitFreshPoll("group-messages");
            discovery.awaitFreshPoll("group-messages");
            assertThat(discovery.files("group-messages"))
                    .containsExactly("channels/C01/2024-01-02.jsonl", "channels/C01/2024-01-03.jsonl");
            assertThat(announced).as("the new file only, once").containsExactly("group-messages", "group-messages");
        }
        try (Stream<Path> files = Files.walk(export)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> export.relativize(p).toString().replace('\\', '/')).sorted())
                    .as("noop: nothing moved, no lock files")
                    .containsExactly("channels/C01/2024-01-02.jsonl", "channels/C01/2024-01-03.jsonl", "channels/C01/notes.txt");
        }
        assertThat(state.queryForObject("SELECT COUNT(*) FROM export_file_found", Long.class)).isEqualTo(2);
    }
}
