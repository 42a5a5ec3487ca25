package org.imsmooth.oldsystem.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.imsmooth.oldsystem.OldSystemMapping;
import org.imsmooth.oldsystem.OldSystemSource;
import org.imsmooth.oldsystem.UnreadableRows;
import org.imsmooth.state.ExportFilesRead;
import org.imsmooth.state.ImportCursors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Reads the old system from export files (docs/files.md): per kind, the files its glob matches, in
 * name order, one record at a time (a 10 GB file is never in memory), mapped to canonical rows by the
 * kind's configuration ({@link RecordMapping}). The stage's cursor is (file, records or lines read,
 * byte offset) in {@code import_cursor}; a file read to its end is recorded in {@code export_file_read}
 * (Flyway V11_17), and the files are listed again for every page, so a file added later, whatever its
 * name, is read too. A page never spans two files, so the cursor and the finished mark never disagree.
 * <p>
 * A record that cannot be parsed or mapped goes to the stage's DLQ ({@link UnreadableRows#refused})
 * with its file, line and the error, once: only as the first record after the committed cursor,
 * whose move past it is saved at once; met later in a page, it ends the page before it.
 * <p>
 * Messages must come in time order per conversation (docs/files.md "Order"): a message older than the
 * one read before it in its conversation is refused the same way, naming both places.
 */
@Component
public class ExportFileReader implements OldSystemSource {

    static final String MORE_PAGES = "ImMorePages";
    static final String PAGE_LIMIT = "ImPageLimit";
    private static final String PAGE_KEY = "ImFilePageKey";
    private static final String PAGE_ROWS = "ImFilePageRows";
    private static final String PAGE_FINISHED_FILE = "ImFilePageFinished";
    private static final String PAGE_ORDER = "ImFilePageOrder";
    private static final Logger LOG = LoggerFactory.getLogger(ExportFileReader.class);

    private final ExportFilesProperties properties;
    private final OldSystemMapping pages;
    private final ImportCursors cursors;
    private final ExportFilesRead finishedFiles;
    private final ObjectProvider<UnreadableRows> refusals;
    /** Camel's file consumers of the export (the service); absent, the export is listed directly (tests of the reader alone). */
    private final ExportFileDiscovery discovery;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, RecordMapping> mappings = new ConcurrentHashMap<>();
    private final Map<String, OpenFile> open = new ConcurrentHashMap<>();
    /** "kind/column" -> source_id -> value, for lookups (read once, on first use). */
    private final Map<String, Map<String, Object>> lookupTables = new ConcurrentHashMap<>();
    /** Per kind: conversation -> the last message time and where it was read (committed pages only). */
    private final Map<String, Map<String, Seen>> lastInConversation = new ConcurrentHashMap<>();

    public ExportFileReader(ExportFilesProperties properties, OldSystemMapping pages, ImportCursors cursors,
                            ExportFilesRead finishedFiles, ObjectProvider<UnreadableRows> refusals) {
        this(properties, pages, cursors, finishedFiles, refusals, (ExportFileDiscovery) null);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public ExportFileReader(ExportFilesProperties properties, OldSystemMapping pages, ImportCursors cursors,
                            ExportFilesRead finishedFiles, ObjectProvider<UnreadableRows> refusals,
                            ObjectProvider<ExportFileDiscovery> discovery) {
        this(properties, pages, cursors, finishedFiles, refusals, discovery.getIfAvailable());
    }

    ExportFileReader(ExportFilesProperties properties, OldSystemMapping pages, ImportCursors cursors,
                     ExportFilesRead finishedFiles, ObjectProvider<UnreadableRows> refusals, ExportFileDiscovery discovery) {
        this.discovery = discovery;
        if (discovery != null) {
            // a late file of a kind others look up (lookups) is seen by the next lookup
            discovery.whenMoreToRead(kind -> lookupTables.keySet().removeIf(key -> key.startsWith(kind + "/")));
        }
        this.properties = properties;
        this.pages = pages;
        this.cursors = cursors;
        this.finishedFiles = finishedFiles;
        this.refusals = refusals;
    }

    /** A file open for a kind, and the position its next record starts at. */
    private record OpenFile(String file, ExportRecords records, ExportRecords.Position position) {
    }

    private record Seen(long time, String where) {
    }

    /** Where a stage reads next: a file and a position in it. */
    private record Place(String file, ExportRecords.Position position) {
        Map<String, Object> key() {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("file", file);
            key.put("line", position.consumed());
            key.put("offset", position.offset());
            return key;
        }
    }

    @Override
    public List<Map<String, Object>> nextPage(String kind, Exchange exchange) {
        int limit = pages.nextPageSize(exchange.getProperty(PAGE_LIMIT, 0, Integer.class));
        exchange.setProperty(PAGE_LIMIT, limit);
        exchange.removeProperty(PAGE_FINISHED_FILE);
        exchange.removeProperty(PAGE_KEY);
        exchange.setProperty(PAGE_ROWS, 0);
        RecordMapping mapping = mapping(kind);
        ExportFilesProperties.Kind config = kind(kind);
        ExportFiles export = export();
        Optional<Place> place = place(kind, config, export);
        if (place.isEmpty()) {
            close(kind);
            exchange.setProperty(MORE_PAGES, false);
            return List.of();
        }
        String file = place.get().file();
        if (conversationKind(kind) && !lastInConversation.containsKey(kind)) {
            lastInConversation.put(kind, lastTimesBefore(kind, config, export, place.get()));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Seen> pageOrder = new HashMap<>();
        try {
            ExportRecords records = records(kind, config, export, place.get());
            ExportRecords.Position at = place.get().position();
            boolean endOfFile = false;
            while (rows.size() < limit) {
                ExportRecords.Item item = records.next();
                if (item == null) {
                    endOfFile = true;
                    at = records.after();
                    break;
                }
                String refusal = item.error();
                List<Map<String, Object>> recordRows = List.of();
                if (refusal == null) {
                    try {
                        recordRows = mapping.rows(item.node(), file);
                        lookUp(config, recordRows);
                        refusal = outOfOrder(kind, recordRows, pageOrder, file, item.line());
                    } catch (RecordMapping.Refused e) {
                        refusal = e.getMessage();
                    }
                }
                if (refusal != null) {
                    if (!rows.isEmpty()) {
                        // dead-lettered as the first record after a committed cursor, so only once
                        close(kind);
                        exchange.setProperty(PAGE_KEY, new Place(file, records.before()).key());
                        exchange.setProperty(PAGE_ROWS, rows.size());
                        exchange.setProperty(PAGE_ORDER, pageOrder);
                        exchange.setProperty(MORE_PAGES, true);
                        return rows;
                    }
                    refuse(kind, config, file, item, refusal, recordRows);
                    at = records.after();
                    cursors.save(kind, new Place(file, at).key(), 0);
                    if (item.fatal()) {
                        endOfFile = true;
                        break;
                    }
                    continue;
                }
                rows.addAll(recordRows);
                at = records.after();
            }
            if (endOfFile) {
                close(kind);
                exchange.setProperty(PAGE_FINISHED_FILE, file);
            } else {
                open.put(kind, new OpenFile(file, records, at));
            }
            exchange.setProperty(PAGE_KEY, new Place(file, at).key());
            exchange.setProperty(PAGE_ROWS, rows.size());
            exchange.setProperty(PAGE_ORDER, pageOrder);
            exchange.setProperty(MORE_PAGES, true);
            return rows;
        } catch (IOException e) {
            close(kind);
            throw new UncheckedIOException("Cannot read " + file + " of the export " + export.root() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void commitPage(String kind, Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> key = exchange.getProperty(PAGE_KEY, Map.class);
        if (key == null) {
            return;
        }
        cursors.save(kind, key, exchange.getProperty(PAGE_ROWS, 0, Integer.class));
        @SuppressWarnings("unchecked")
        Map<String, Seen> order = exchange.getProperty(PAGE_ORDER, Map.class);
        if (order != null && !order.isEmpty()) {
            lastInConversation.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).putAll(order);
        }
        String finished = exchange.getProperty(PAGE_FINISHED_FILE, String.class);
        if (finished != null) {
            // after the cursor: a crash in between finds the cursor at this file's end and finishes it again
            finishedFiles.finished(kind, finished, ((Number) key.get("line")).longValue());
            LOG.info("{}: read {} to its end", kind, finished);
        }
    }

    @Override
    public void scan(String kind, Consumer<Map<String, Object>> rowConsumer, Consumer<String> unreadable) {
        RecordMapping mapping = mapping(kind);
        ExportFilesProperties.Kind config = kind(kind);
        ExportFiles export = export();
        for (String file : files(kind, config, export)) {
            try (ExportRecords records = open(config, export, file, new ExportRecords.Position(0, 0))) {
                for (ExportRecords.Item item = records.next(); item != null; item = records.next()) {
                    if (item.error() != null) {
                        unreadable.accept(recordId(file, item));
                        continue;
                    }
                    try {
                        List<Map<String, Object>> rows = mapping.rows(item.node(), file);
                        lookUp(config, rows);
                        rows.forEach(rowConsumer);
                    } catch (RecordMapping.Refused e) {
                        unreadable.accept(recordId(file, item));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file + " of the export " + export.root() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Records of the kind's files: lines counted without parsing for plain JSON Lines, else a full scan. */
    @Override
    public long total(String kind) {
        ExportFilesProperties.Kind config = kind(kind);
        ExportFiles export = export();
        if (discovery != null) {
            // the files in the export at start, once the file consumer has looked (files found later count at the end)
            discovery.awaitFirstPoll(kind);
        }
        if ("jsonl".equals(config.format()) && (config.select() == null || config.select().isBlank())) {
            long lines = 0;
            for (String file : files(kind, config, export)) {
                lines += nonBlankLines(export, file);
            }
            return lines;
        }
        long[] count = {0};
        scan(kind, row -> count[0]++, id -> count[0]++);
        return count[0];
    }

    @Override
    public void check(String kind) {
        ExportFilesProperties.Kind config = properties.kinds().get(kind);
        if (config == null || config.files() == null || config.files().isBlank()) {
            throw new IllegalArgumentException("oldsystem.files.kinds." + kind + ".files (a glob of the kind's export files) is missing");
        }
        if (!List.of("jsonl", "json-array", "csv").contains(config.format())) {
            throw new IllegalArgumentException("oldsystem.files.kinds." + kind + ".format is '" + config.format()
                    + "': use jsonl, json-array or csv");
        }
        ExportFiles export = export();
        if (!export.exists()) {
            throw new IllegalArgumentException("oldsystem.files.dir=" + properties.dir() + ": " + export.root().toAbsolutePath()
                    + " is neither a directory nor a .zip file");
        }
        mapping(kind);
        config.lookups().forEach((column, spec) -> {
            String[] parts = spec.split("/");
            if (parts.length != 3 || !properties.kinds().containsKey(parts[0])) {
                throw new IllegalArgumentException("oldsystem.files.kinds." + kind + ".lookups." + column + " is '" + spec
                        + "': write <kind>/<its column>/<this row's key column> with a configured kind, e.g. groups/created_at/group_id");
            }
        });
        if (export.list(config.files()).isEmpty()) {
            LOG.warn("{}: no export file matches {} in {} (yet)", kind, config.files(), export.root());
        }
    }

    /** Fills the kind's lookup columns from the other kinds' rows (docs/files.md "Lookups"). */
    private void lookUp(ExportFilesProperties.Kind config, List<Map<String, Object>> rows) {
        for (Map.Entry<String, String> lookup : config.lookups().entrySet()) {
            String[] spec = lookup.getValue().split("/");
            if (spec.length != 3) {
                throw new IllegalArgumentException("lookups." + lookup.getKey() + " is '" + lookup.getValue()
                        + "': write <kind>/<its column>/<this row's key column>, e.g. groups/created_at/group_id");
            }
            Map<String, Object> table = lookupTables.computeIfAbsent(spec[0] + "/" + spec[1], k -> {
                Map<String, Object> values = new ConcurrentHashMap<>();
                scan(spec[0], row -> {
                    if (row.get("source_id") != null && row.get(spec[1]) != null) {
                        values.put(String.valueOf(row.get("source_id")), row.get(spec[1]));
                    }
                }, unreadable -> { });
                return values;
            });
            for (Map<String, Object> row : rows) {
                Object key = row.get(spec[2]);
                if (key != null && !row.containsKey(lookup.getKey()) && table.containsKey(String.valueOf(key))) {
                    row.put(lookup.getKey(), table.get(String.valueOf(key)));
                }
            }
        }
    }

    private String outOfOrder(String kind, List<Map<String, Object>> rows, Map<String, Seen> pageOrder, String file, long line) {
        for (Map<String, Object> row : rows) {
            String conversation = conversation(kind, row);
            if (conversation == null || !(row.get("sent_at") instanceof Long time)) {
                continue;
            }
            Seen before = pageOrder.get(conversation);
            if (before == null) {
                before = lastInConversation.getOrDefault(kind, Map.of()).get(conversation);
            }
            if (before != null && time < before.time()) {
                return "out of time order: sent_at " + time + " is before " + before.time() + " of the message at "
                        + before.where() + " in conversation " + conversation
                        + " (messages must be sorted by time per conversation: docs/files.md \"Order\")";
            }
            pageOrder.put(conversation, new Seen(time, file + ":" + line));
        }
        return null;
    }

    private static boolean conversationKind(String kind) {
        return "group-messages".equals(kind) || "c2c-messages".equals(kind);
    }

    /**
     * The order check's memory after a restart: the latest time per conversation in what the stage read
     * before its cursor (its finished files and its current file up to the cursor), read again once.
     */
    private Map<String, Seen> lastTimesBefore(String kind, ExportFilesProperties.Kind config, ExportFiles export, Place place) {
        Map<String, Seen> last = new ConcurrentHashMap<>();
        java.util.Set<String> finished = finishedFiles.finished(kind);
        boolean started = place.position().consumed() > 0;
        if (finished.isEmpty() && !started) {
            return last;
        }
        RecordMapping mapping = mapping(kind);
        long t0 = System.nanoTime();
        for (String file : files(kind, config, export)) {
            boolean current = file.equals(place.file());
            if (!finished.contains(file) && !(current && started)) {
                continue;
            }
            try (ExportRecords records = open(config, export, file, new ExportRecords.Position(0, 0))) {
                for (ExportRecords.Item item = records.next(); item != null; item = records.next()) {
                    if (current && records.after().consumed() > place.position().consumed()) {
                        break;
                    }
                    if (item.node() == null) {
                        continue;
                    }
                    try {
                        for (Map<String, Object> row : mapping.rows(item.node(), file)) {
                            String conversation = conversation(kind, row);
                            if (conversation != null && row.get("sent_at") instanceof Long time) {
                                Seen seen = new Seen(time, file + ":" + item.line());
                                last.merge(conversation, seen, (a, b) -> b.time() >= a.time() ? b : a);
                            }
                        }
                    } catch (RecordMapping.Refused refused) {
                        // dead-lettered when it was read
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file + " of the export " + export.root() + ": " + e.getMessage(), e);
            }
        }
        LOG.info("{}: message order per conversation restored from what was read before the cursor ({} conversations, {} ms)",
                kind, last.size(), (System.nanoTime() - t0) / 1_000_000);
        return last;
    }

    private static String conversation(String kind, Map<String, Object> row) {
        if ("group-messages".equals(kind)) {
            return row.get("group_id") == null ? null : String.valueOf(row.get("group_id"));
        }
        if ("c2c-messages".equals(kind) && row.get("from_id") != null && row.get("to_id") != null) {
            String a = String.valueOf(row.get("from_id"));
            String b = String.valueOf(row.get("to_id"));
            return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
        }
        return null;
    }

    /** A refused record's id in the id map: its source_id when the mapping gave one, else file:line. */
    private void refuse(String kind, ExportFilesProperties.Kind config, String file, ExportRecords.Item item, String reason,
                        List<Map<String, Object>> rows) {
        String id = rows.size() == 1 && rows.get(0).get("source_id") != null ? String.valueOf(rows.get(0).get("source_id"))
                : recordId(file, item);
        String text = file + ("jsonl".equals(config.format()) ? " line " + item.line()
                : " record " + item.number() + " (line " + item.line() + ")") + ": " + reason;
        LOG.warn("{}: refused {}", kind, text);
        UnreadableRows sink = refusals.getIfAvailable();
        if (sink == null) {
            throw new IllegalStateException(kind + ": " + text);
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("file", file);
        key.put("line", item.line());
        key.put("record", item.number());
        key.put("error", reason);
        sink.refused(kind, id, key, text);
    }

    private static String recordId(String file, ExportRecords.Item item) {
        return file + ":" + item.line();
    }

    /** The open file if it stands at the stage's cursor, else the file opened again at the cursor. */
    private ExportRecords records(String kind, ExportFilesProperties.Kind config, ExportFiles export, Place place) throws IOException {
        OpenFile current = open.get(kind);
        if (current != null && current.file().equals(place.file()) && current.position().equals(place.position())) {
            return current.records();
        }
        close(kind);
        return open(config, export, place.file(), place.position());
    }

    private ExportRecords open(ExportFilesProperties.Kind config, ExportFiles export, String file, ExportRecords.Position at)
            throws IOException {
        return switch (config.format()) {
            case "json-array" -> new JsonArrayRecords(export.open(file, 0), json, at.consumed());
            case "csv" -> new CsvRecords(export.open(file, 0), at.consumed());
            default -> new JsonLinesRecords(export.open(file, Math.max(0, at.offset())), json, Math.max(0, at.offset()), at.consumed());
        };
    }

    /** The stage's cursor if its file is not finished, else the first file (in name order) not read to its end. */
    private Optional<Place> place(String kind, ExportFilesProperties.Kind config, ExportFiles export) {
        java.util.Set<String> finished = finishedFiles.finished(kind);
        Optional<Map<String, Object>> cursor = cursors.load(kind);
        if (cursor.isPresent() && cursor.get().get("file") instanceof String file && !finished.contains(file)) {
            long line = ((Number) cursor.get().getOrDefault("line", 0)).longValue();
            long offset = ((Number) cursor.get().getOrDefault("offset", 0)).longValue();
            return Optional.of(new Place(file, new ExportRecords.Position(line, offset)));
        }
        Optional<Place> next = firstUnread(files(kind, config, export), finished, config);
        if (next.isEmpty() && discovery != null) {
            // before the stage ends: a poll of the export that began now has recorded every complete file
            discovery.awaitFreshPoll(kind);
            next = firstUnread(files(kind, config, export), finishedFiles.finished(kind), config);
        }
        return next;
    }

    private static Optional<Place> firstUnread(List<String> files, java.util.Set<String> finished, ExportFilesProperties.Kind config) {
        for (String file : files) {
            if (!finished.contains(file)) {
                return Optional.of(new Place(file, "jsonl".equals(config.format())
                        ? new ExportRecords.Position(0, 0) : new ExportRecords.Position(0, -1)));
            }
        }
        return Optional.empty();
    }

    /** The kind's files in name order: those Camel's file consumer found (the service), else the export listed now. */
    private List<String> files(String kind, ExportFilesProperties.Kind config, ExportFiles export) {
        return discovery != null ? discovery.files(kind) : export.list(config.files());
    }

    /** Whether a file Camel's file consumer found is not read to its end yet. */
    @Override
    public boolean unreadRemains(String kind) {
        if (discovery == null) {
            return false;
        }
        java.util.Set<String> finished = finishedFiles.finished(kind);
        return discovery.files(kind).stream().anyMatch(file -> !finished.contains(file));
    }

    @Override
    public long listingMark(String kind) {
        return discovery == null ? 0 : discovery.pollMark(kind);
    }

    @Override
    public boolean listedSince(String kind, long mark) {
        return discovery == null || discovery.polledSince(kind, mark);
    }

    /** A file of the kind appeared that its stage has not read: {@code listener} gets the stage's name. */
    @Override
    public void whenMoreToRead(Consumer<String> listener) {
        if (discovery != null) {
            discovery.whenMoreToRead(listener);
        }
    }

    private long nonBlankLines(ExportFiles export, String file) {
        long lines = 0;
        boolean content = false;
        byte[] buffer = new byte[256 * 1024];
        try (InputStream in = export.open(file, 0)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        lines += content ? 1 : 0;
                        content = false;
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        content = true;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " of the export " + export.root() + ": " + e.getMessage(), e);
        }
        return lines + (content ? 1 : 0);
    }

    private void close(String kind) {
        OpenFile current = open.remove(kind);
        if (current != null) {
            try {
                current.records().close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", current.file(), e.toString());
            }
        }
    }

    private RecordMapping mapping(String kind) {
        return mappings.computeIfAbsent(kind, k -> new RecordMapping(k, kind(k), ZoneId.of(properties.timeZone()), json));
    }

    private ExportFilesProperties.Kind kind(String kind) {
        ExportFilesProperties.Kind config = properties.kinds().get(kind);
        if (config == null) {
            throw new IllegalStateException("No export files configured for '" + kind + "': add oldsystem.files.kinds." + kind
                    + " to the mapping (docs/files.md)");
        }
        return config;
    }

    private ExportFiles export() {
        if (properties.dir() == null || properties.dir().isBlank()) {
            throw new IllegalStateException("oldsystem.files.dir (OLD_SYSTEM_FILES) is not set: the directory or .zip of the export");
        }
        return new ExportFiles(Path.of(properties.dir()));
    }
}
