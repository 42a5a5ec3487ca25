package org.imsmooth.oldsystem.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

/**
 * The files mappings users start from (the canonical format and the provider-shaped sample) bind as
 * the service binds them (canonical column names with underscores, value maps, jq), say
 * {@code oldsystem.kind: files}, cover every stage of the import, and compile.
 */
class ExportFilesMappingTest {

    @ParameterizedTest
    @ValueSource(strings = {"routes/old-system/files.yml", "samples/export-jsonl/mapping.yml"})
    void mappingCoversEveryStageAndCompiles(String file) throws IOException {
        Binder binder = binder(file);
        assertThat(binder.bind("oldsystem.kind", String.class).get()).isEqualTo("files");
        ExportFilesProperties files = binder.bind("oldsystem.files", ExportFilesProperties.class).get();
        Map<?, ?> stages = binder("src/main/resources/application.yml").bind("migration.stages", Map.class).get();
        assertThat(files.kinds()).as(file).containsOnlyKeys(stages.keySet().stream().map(String::valueOf).toList());
        files.kinds().forEach((kind, config) -> {
            assertThat(config.files()).as(kind).isNotBlank();
            new RecordMapping(kind, config, java.time.ZoneId.of(files.timeZone()), new com.fasterxml.jackson.databind.ObjectMapper());
        });
    }

    @Test
    void theSampleBindsUnderscoredColumnsValueMapsAndLookups() throws IOException {
        ExportFilesProperties files = binder("samples/export-jsonl/mapping.yml").bind("oldsystem.files", ExportFilesProperties.class).get();
        assertThat(files.kinds().get("c2c-messages").fields()).containsEntry("source_id", "/id").containsEntry("sent_at", "/ts");
        assertThat(files.kinds().get("profiles").codes().get("gender")).containsEntry("1", "male").containsEntry("2", "female");
        assertThat(files.kinds().get("groups").codes().get("type")).containsEntry("true", "private");
        assertThat(files.kinds().get("group-messages").lookups()).containsEntry("group_created_at", "groups/created_at/group_id");
        assertThat(files.kinds().get("group-members").format()).isEqualTo("json-array");
        assertThat(files.kinds().get("c2c-messages").jq()).containsKey("to_id");
    }

    @Test
    void aMappingThatCannotWorkIsRefusedWithTheFix() {
        var badTime = new ExportFilesProperties.Kind("x.jsonl", "jsonl", null, Map.of(), Map.of(), Map.of("sent_at", "epoch"), Map.of(),
                Map.of(), null, Map.of());
        assertThatThrownBy(() -> new RecordMapping("c2c-messages", badTime, java.time.ZoneId.of("UTC"), null))
                .hasMessageContaining("times.sent_at is 'epoch': use iso, seconds, millis or auto");
        var badPointer = new ExportFilesProperties.Kind("x.jsonl", "jsonl", null, Map.of("source_id", "id"), Map.of(), Map.of(), Map.of(),
                Map.of(), null, Map.of());
        assertThatThrownBy(() -> new RecordMapping("accounts", badPointer, java.time.ZoneId.of("UTC"), null))
                .hasMessageContaining("fields.source_id is 'id': a JSON pointer starts with /");
        var badJq = new ExportFilesProperties.Kind("x.jsonl", "jsonl", ".members[", Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), null, Map.of());
        assertThatThrownBy(() -> new RecordMapping("group-members", badJq, java.time.ZoneId.of("UTC"), null))
                .hasMessageContaining("oldsystem.files.kinds.group-members.select is not a jq expression");
    }

    private static Binder binder(String file) throws IOException {
        return new Binder(ConfigurationPropertySources.from(new YamlPropertySourceLoader().load(file, new FileSystemResource(file))));
    }
}
