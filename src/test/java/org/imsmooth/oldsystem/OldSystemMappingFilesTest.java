package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

/**
 * The mapping files users start from (the reference one and the samples) bind as the service binds
 * them, cover every stage of the import with a total, and follow the keyset contract; a query that
 * would re-read its first page forever is refused with the fix in the message. Runs without a
 * database; the samples' end-to-end tests run them against real ones.
 */
class OldSystemMappingFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"routes/old-system/mapping.yml", "samples/postgresql/mapping.yml", "samples/mysql/mapping.yml",
            "samples/forum-postgresql/mapping.yml"})
    void mappingFileCoversEveryStage(String file) throws IOException {
        OldSystemMapping mapping = bind(file, "oldsystem", OldSystemMapping.class);
        Map<?, ?> stages = bind("src/main/resources/application.yml", "migration.stages", Map.class);
        assertThat(mapping.queries()).as(file).containsOnlyKeys(stages.keySet().stream().map(String::valueOf).toList());
        mapping.queries().forEach((kind, query) -> {
            assertThat(query.total()).as(kind + " total").isNotBlank();
            assertThat(query.sql().strip()).as(kind + " sql").endsWith("LIMIT :limit");
            assertThat(query.sql()).as(kind + " orders by its cursor").contains("ORDER BY");
        });
    }

    @Test
    void aQueryIgnoringItsCursorIsRefusedWithTheFix() {
        var ignoresCursor = new OldSystemMapping.KindQuery("SELECT id AS source_id FROM users ORDER BY id LIMIT :limit",
                List.of("source_id"), null, "SELECT COUNT(*) FROM users");
        assertThatThrownBy(() -> new OldSystemMapping(500, 250, Map.of("accounts", ignoresCursor)))
                .hasMessageContaining("oldsystem.queries.accounts.sql must filter on :after_source_id");
        var noLimit = new OldSystemMapping.KindQuery("SELECT id AS source_id FROM users WHERE id > :after_source_id ORDER BY id",
                List.of("source_id"), null, null);
        assertThatThrownBy(() -> new OldSystemMapping(500, 250, Map.of("accounts", noLimit)))
                .hasMessageContaining("must end with LIMIT :limit");
        assertThatThrownBy(() -> new OldSystemMapping(0, 250, Map.of())).hasMessageContaining("page-size");
    }

    @Test
    void pagesGrowFromTheFirstPageSizeToThePageSize() {
        var mapping = new OldSystemMapping(5000, 250, Map.of());
        assertThat(mapping.nextPageSize(0)).isEqualTo(250);
        assertThat(mapping.nextPageSize(250)).isEqualTo(1000);
        assertThat(mapping.nextPageSize(1000)).isEqualTo(4000);
        assertThat(mapping.nextPageSize(4000)).isEqualTo(5000);
        assertThat(mapping.nextPageSize(5000)).isEqualTo(5000);
        // a page size below the first page size wins from the start
        assertThat(new OldSystemMapping(200, 250, Map.of()).nextPageSize(0)).isEqualTo(200);
        assertThatThrownBy(() -> new OldSystemMapping(500, 0, Map.of())).hasMessageContaining("first-page-size");
    }

    /** A sample's README shows each kind's page query ("What each kind yields"): as it is in the sample's mapping. */
    @ParameterizedTest
    @ValueSource(strings = {"samples/postgresql", "samples/mysql", "samples/forum-postgresql"})
    void sampleReadmeShowsEveryKindsQueryAsItsMappingHasIt(String sample) throws IOException {
        OldSystemMapping mapping = bind(sample + "/mapping.yml", "oldsystem", OldSystemMapping.class);
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of(sample, "README.md"));
        mapping.queries().forEach((kind, query) -> {
            int section = readme.indexOf("\n### " + kind + "\n");
            assertThat(section).as(sample + " README has a section for " + kind).isNotNegative();
            int start = readme.indexOf("```sql\n", section) + "```sql\n".length();
            String shown = readme.substring(start, readme.indexOf("```", start));
            assertThat(oneLine(shown)).as(sample + " README's query of " + kind).isEqualTo(oneLine(query.sql()));
        });
    }

    private static String oneLine(String sql) {
        return sql.replaceAll("\\s+", " ").strip();
    }

    private static <T> T bind(String file, String prefix, Class<T> type) throws IOException {
        var sources = new YamlPropertySourceLoader().load(file, new FileSystemResource(file));
        return new Binder(ConfigurationPropertySources.from(sources)).bind(prefix, type).get();
    }
}
