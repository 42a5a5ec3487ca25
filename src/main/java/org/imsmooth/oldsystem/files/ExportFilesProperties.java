package org.imsmooth.oldsystem.files;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The old system as export files ({@code oldsystem.kind=files}, docs/files.md): a directory or a zip
 * of files, and per data kind which files hold it and how one of their records becomes a canonical
 * row. Everything a provider's export needs is said here, in the mapping file, not in Java.
 *
 * @param dir      the export: a directory, or a {@code .zip} file
 * @param timeZone the zone of ISO-8601 times written without an offset ({@code 2024-05-01T10:00:00})
 * @param kinds    import stage -> its files and mapping
 */
@ConfigurationProperties("oldsystem.files")
public record ExportFilesProperties(String dir, @DefaultValue("UTC") String timeZone,
                                    @DefaultValue({}) Map<String, Kind> kinds) {

    /**
     * @param files     glob of the kind's files, relative to {@code dir} ({@code messages/*.jsonl},
     *                  {@code **}{@code /users-*.json}); read in name order
     * @param format    {@code jsonl} (one JSON object per line, the default), {@code json-array} (one
     *                  top-level array of objects) or {@code csv} (a header row names the columns)
     * @param select    optional jq expression: the objects one record (line) yields, e.g. one per member
     *                  of a channel: {@code .id as $g | .members[] | {group: $g, user: .}}; default the record itself
     * @param fields    canonical column -> JSON pointer into the object ({@code /user/id}; a CSV
     *                  column {@code c} is {@code /c}); without any fields, every canonical column is
     *                  read from the key of the same name (the canonical export format)
     * @param jq        canonical column -> jq expression over the object (objects and arrays become
     *                  JSON text, e.g. a message body built from an attachment)
     * @param times     canonical column -> {@code iso}, {@code seconds}, {@code millis} or {@code auto}
     *                  (a number is seconds, text ISO-8601; the default for the canonical time columns)
     * @param codes     canonical column -> value map (old code -> canonical word); a value not in the
     *                  map refuses the record unless the map has a {@code "*"} entry
     * @param constants canonical column -> fixed value
     * @param required  canonical columns a record must have (default: the kind's required columns)
     * @param lookups   canonical column -> {@code <kind>/<its column>/<this row's key column>}: the column
     *                  of the other kind's row whose source_id is this row's key, e.g. a group message's
     *                  {@code group_created_at: groups/created_at/group_id} when messages and groups are
     *                  separate files (the other kind's values are kept in memory: one per group)
     */
    public record Kind(String files, @DefaultValue("jsonl") String format, String select,
                       @DefaultValue({}) Map<String, String> fields, @DefaultValue({}) Map<String, String> jq,
                       @DefaultValue({}) Map<String, String> times, @DefaultValue({}) Map<String, Map<String, String>> codes,
                       @DefaultValue({}) Map<String, String> constants, List<String> required,
                       @DefaultValue({}) Map<String, String> lookups) {
    }
}
