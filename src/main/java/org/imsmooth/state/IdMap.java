package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The durable old <-> IM id map (table {@code id_map}). Every entity that IM acknowledged, or that
 * was rejected for good, has a row; import skips what is here, sync uses it as the final echo check.
 */
@Component
public class IdMap {

    public static final String DONE = "done";
    /** Dead-lettered as invalid data: rejected before the call, refused by IM, or a dependent of such a record. */
    public static final String REJECTED = "rejected";
    /**
     * Dead-lettered for a reason that is not the record's own (an unexpected error, IM refusing every
     * call): the record is neither in IM nor invalid, so the reconciliation cannot balance with it.
     */
    public static final String FAILED = "failed";
    /**
     * A dry run's "would be imported" (accounts and groups only, so later stages of the dry run know
     * them): never skipped by a real run, never counted by its reconciliation.
     */
    public static final String VALIDATED = "validated";

    /** Lifecycle (column {@code lifecycle}): the entity exists on both sides. */
    public static final String LIVE = "live";
    /** Lifecycle: the group was disbanded (in IM or in the old system); its old id may come back as a new group. */
    public static final String DISBANDED = "disbanded";
    /** Lifecycle: the membership ended (the member left or was removed). */
    public static final String LEFT = "left";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    /**
     * {@link #upsert} tries the INSERT first: almost every write is a new row, and an UPDATE that finds
     * nothing first was a fifth of the state writer's time. On PostgreSQL a failed INSERT (the row
     * exists) would abort the writer's shared transaction, so there the INSERT says
     * {@code ON CONFLICT (kind, old_id) DO NOTHING}: a new row is one statement (one round trip to the
     * server) on every database, and an existing one is then updated.
     */
    private final boolean onConflictDoNothing;
    /** PostgreSQL: batch lookups pass their old ids as one array ({@link #keysMatch}). */
    private final boolean arrays;

    public IdMap(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        String product = jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        this.onConflictDoNothing = product != null && product.toLowerCase(java.util.Locale.ROOT).contains("postgres");
        this.arrays = onConflictDoNothing;
    }

    /**
     * Records an entity IM acknowledged. Re-recording the same pair is a no-op. True when the row was
     * "rejected" before (a dead letter imported since): it leaves the dead-lettered count.
     */
    public boolean recordDone(String kind, String oldId, String imId, String origin, String conversation, String detail) {
        return recordAcknowledged(kind, oldId, imId, origin, conversation, detail) == Before.DEAD_LETTER;
    }

    /** What an acknowledged record's row was before {@link #recordAcknowledged}: what its counts must do. */
    public enum Before {
        /** No row, or one not yet done (validated, reserved): one more record imported. */
        NOT_DONE,
        /** Dead-lettered (rejected or failed): imported now, and no longer a dead letter. */
        DEAD_LETTER,
        /** Done already (a batch worked twice: a redelivery after its outcome was committed): counted already. */
        DONE
    }

    /** As {@link #recordDone}, telling what the row was before (so that a record is counted once however often IM acknowledges it). */
    public Before recordAcknowledged(String kind, String oldId, String imId, String origin, String conversation, String detail) {
        return switch (upsert(kind, oldId, imId, origin, DONE, conversation, detail, null, null)) {
            case REJECTED -> Before.DEAD_LETTER;
            case DONE -> Before.DONE;
            case NONE, OTHER -> Before.NOT_DONE;
        };
    }

    /** Records an entity that was dead-lettered for good, so it is not retried on every re-run. */
    public boolean recordRejected(String kind, String oldId, String origin, String reason) {
        return recordRejected(kind, oldId, origin, reason, null);
    }

    /**
     * Records an entity that was dead-lettered for good by the work-queue message {@code deadLetterRef}
     * (its JMS message id, or null). True only when the row was not "rejected" already: a record counts
     * once among the dead letters, however often a restart, a redelivery or a DLQ retry rejects it again.
     */
    public boolean recordRejected(String kind, String oldId, String origin, String reason, String deadLetterRef) {
        return recordRejected(kind, oldId, origin, reason, deadLetterRef, null);
    }

    /**
     * The record a dead letter waited for: it was rejected because this record (kind and old id) was not
     * imported when it was worked ({@code awaited_kind}, {@code awaited_old_id}).
     */
    public record Awaited(String kind, String oldId) {
    }

    /**
     * As {@link #recordRejected(String, String, String, String, String)}, keeping the record it waited
     * for when it was rejected for want of another record ({@code awaited}, or null).
     */
    public boolean recordRejected(String kind, String oldId, String origin, String reason, String deadLetterRef, Awaited awaited) {
        return upsert(kind, oldId, null, origin, REJECTED, null, truncate(reason), deadLetterRef, awaited) != Previous.REJECTED;
    }

    /** A dry run's record that the real run would import (see {@link #VALIDATED}); a real row is never overwritten. */
    public void recordValidated(String kind, String oldId, String imId) {
        Timestamp now = Timestamp.from(Instant.now());
        if (jdbc.update("UPDATE id_map SET updated_at = ? WHERE kind = ? AND old_id = ?", now, kind, oldId) == 0) {
            try {
                insert(kind, oldId, imId, "old", VALIDATED, null, "dry run", now, null, null);
            } catch (DuplicateKeyException raced) {
                // recorded by another consumer
            }
        }
    }

    /** The row of an old id as a worker sees it before calling IM: its state and, if rejected, by which message. */
    public record Outcome(String state, String deadLetterRef) {
    }

    /** The id map rows of these old ids (old id -> state and dead-letter ref); one query for a batch. */
    public Map<String, Outcome> outcomes(String kind, Collection<String> oldIds) {
        if (oldIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Outcome> found = new HashMap<>();
        named.query("SELECT old_id, state, dead_letter_ref FROM id_map WHERE " + keysMatch(""), keys(kind, oldIds),
                rs -> { found.put(rs.getString(1), new Outcome(rs.getString(2), rs.getString(3))); });
        return found;
    }

    /** Which of these old ids IM acknowledged or, when {@code withValidated} (a dry run), the dry run validated. */
    public Set<String> known(String kind, Collection<String> oldIds, boolean withValidated) {
        return withValidated ? knownImIds(kind, oldIds, true).keySet() : done(kind, oldIds);
    }

    /** As {@link #doneImIds}, plus a dry run's validated rows when {@code withValidated}. */
    public Map<String, String> knownImIds(String kind, Collection<String> oldIds, boolean withValidated) {
        if (!withValidated) {
            return doneImIds(kind, oldIds);
        }
        if (oldIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> found = new HashMap<>();
        named.query("SELECT old_id, im_id FROM id_map WHERE " + keysMatch("") + " AND state IN ('done', 'validated')",
                keys(kind, oldIds), rs -> { found.put(rs.getString(1), rs.getString(2)); });
        return found;
    }

    /**
     * Records an entity dead-lettered for a reason that is not invalid data ({@link #FAILED}) by the
     * work-queue message {@code deadLetterRef}. True only when the row was not dead-lettered already.
     */
    public boolean recordFailed(String kind, String oldId, String origin, String reason, String deadLetterRef) {
        return upsert(kind, oldId, null, origin, FAILED, null, truncate(reason), deadLetterRef, null) != Previous.REJECTED;
    }

    /** Why these old ids were dead-lettered (old id -> reason), for those that were; one query for a batch. */
    public Map<String, String> deadLetterReasons(String kind, Collection<String> oldIds) {
        if (oldIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> found = new HashMap<>();
        named.query("SELECT old_id, detail FROM id_map WHERE " + keysMatch("") + " AND state IN ('rejected', 'failed')",
                keys(kind, oldIds), rs -> {
                    found.put(rs.getString(1), rs.getString(2));
                });
        return found;
    }

    /** The reasons of some of a kind's dead letters that are not invalid data ({@link #FAILED}), for the report. */
    public List<Map.Entry<String, String>> failed(String kind, int max) {
        return jdbc.query("SELECT old_id, detail FROM id_map WHERE kind = ? AND state = 'failed' ORDER BY old_id",
                rs -> {
                    List<Map.Entry<String, String>> out = new ArrayList<>();
                    while (rs.next() && out.size() < max) {
                        out.add(Map.entry(rs.getString(1), String.valueOf(rs.getString(2))));
                    }
                    return out;
                }, kind);
    }

    public Optional<String> imIdOf(String kind, String oldId) {
        return jdbc.query("SELECT im_id FROM id_map WHERE kind = ? AND old_id = ? AND state = 'done'",
                (rs, i) -> rs.getString(1), kind, oldId).stream().findFirst();
    }

    public Optional<String> oldIdOf(String kind, String imId) {
        return jdbc.query("SELECT old_id FROM id_map WHERE kind = ? AND im_id = ?",
                (rs, i) -> rs.getString(1), kind, imId).stream().findFirst();
    }

    /** Which of these old ids IM already acknowledged (rejected ones may come back fixed from a DLQ). */
    public Set<String> done(String kind, Collection<String> oldIds) {
        if (oldIds.isEmpty()) {
            return Set.of();
        }
        List<String> found = named.queryForList("SELECT old_id FROM id_map WHERE " + keysMatch("") + " AND state = 'done'",
                keys(kind, oldIds), String.class);
        return new HashSet<>(found);
    }

    /**
     * The batch's primary keys as (kind, old_id) row values: H2 looks each one up in the primary key,
     * whereas with "kind = ? AND old_id IN (...)" it used the key for the kind only and scanned all of
     * the kind's rows for every batch (the import slowed down as the id map grew). Keys must not be empty.
     * On PostgreSQL the old ids are one array parameter ({@link #keysMatch}).
     */
    private MapSqlParameterSource keys(String kind, Collection<String> oldIds) {
        if (arrays) {
            return new MapSqlParameterSource("kind", kind).addValue("ids", oldIds.toArray(String[]::new));
        }
        List<Object[]> keys = new ArrayList<>(paddedSize(oldIds.size()));
        for (String oldId : oldIds) {
            keys.add(new Object[] {kind, oldId});
        }
        // the list is padded (its last key repeated) to one of a few lengths, so the statement's text is one of
        // a few too: the database parses each distinct text, and a parse cost more than the lookups
        Object[] last = keys.get(keys.size() - 1);
        while (keys.size() < paddedSize(oldIds.size())) {
            keys.add(last);
        }
        return new MapSqlParameterSource("keys", keys);
    }

    /**
     * The condition matching {@link #keys}, on the id map's columns under {@code alias} (or none). On
     * PostgreSQL, {@code kind = ? AND old_id = ANY(?)}: one index scan of the primary key whatever the
     * table's statistics, where a list of row values was planned as a scan of all the kind's rows when
     * the table had never been analyzed (over a second per lookup at 100,000 rows, with autovacuum off),
     * and cost a tenth of a second to plan when it had.
     */
    private String keysMatch(String alias) {
        String prefix = alias.isEmpty() ? "" : alias + ".";
        return arrays ? prefix + "kind = :kind AND " + prefix + "old_id = ANY(:ids)"
                : "(" + prefix + "kind, " + prefix + "old_id) IN (:keys)";
    }

    /** The next power of two, from 4. */
    static int paddedSize(int n) {
        return Math.max(4, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
    }

    /**
     * Which of these old ids are accounted for: imported or dead-lettered (a dry run's validated rows are
     * not), less the dead letters that waited for a record IM holds now ({@link #deadLetteredTooEarly}):
     * the service rejected those too early, they are not invalid data.
     */
    public Set<String> accounted(String kind, Collection<String> oldIds) {
        if (oldIds.isEmpty()) {
            return Set.of();
        }
        List<String> found = named.queryForList("SELECT m.old_id FROM id_map m WHERE " + keysMatch("m") + " "
                + "AND m.state IN ('done', 'rejected', 'failed') AND NOT " + AWAITED_NOW_DONE,
                keys(kind, oldIds), String.class);
        return new HashSet<>(found);
    }

    /** A rejected row (alias m) whose awaited record is in IM now. */
    private static final String AWAITED_NOW_DONE = "(m.state = 'rejected' AND m.awaited_kind IS NOT NULL AND EXISTS "
            + "(SELECT 1 FROM id_map a WHERE a.kind = m.awaited_kind AND a.old_id = m.awaited_old_id AND a.state = 'done'))";

    /**
     * Those of these old ids that were dead-lettered for want of a record that was not imported yet, and
     * whose awaited record IM acknowledged since (old id -> the rejection's reason): a stage declared done
     * before its records were in IM. A replay imports them now. One query for a batch.
     */
    public Map<String, String> deadLetteredTooEarly(String kind, Collection<String> oldIds) {
        if (oldIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> found = new HashMap<>();
        named.query("SELECT m.old_id, m.detail FROM id_map m WHERE " + keysMatch("m") + " AND " + AWAITED_NOW_DONE,
                keys(kind, oldIds), rs -> { found.put(rs.getString(1), String.valueOf(rs.getString(2))); });
        return found;
    }

    /** How many of a kind's dead letters {@link #deadLetteredTooEarly} would name. */
    public long countDeadLetteredTooEarly(String kind) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM id_map m WHERE m.kind = ? AND " + AWAITED_NOW_DONE, Long.class, kind);
        return n == null ? 0 : n;
    }

    /** One acknowledged entity, for reconciliation. */
    public record Entry(String oldId, String imId, String conversation, String detail) {
    }

    /**
     * Streams every acknowledged entity of a kind, ordered by conversation. There is no index on the
     * conversation (V6): the database sorts the kind's rows once, spilling to disk beyond its memory rows.
     */
    public void forEachDone(String kind, java.util.function.Consumer<Entry> consumer) {
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT old_id, im_id, conversation, detail FROM id_map WHERE kind = ? AND state = 'done' "
                    + "ORDER BY conversation, old_id");
            ps.setString(1, kind);
            ps.setFetchSize(1000);
            return ps;
        }, rs -> {
            consumer.accept(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        });
    }

    public long countTruncated(String kind) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM id_map WHERE kind = ? AND state = 'done' AND detail LIKE 'truncated%'",
                Long.class, kind);
        return n == null ? 0 : n;
    }

    /** The IM ids of those of these old ids that IM acknowledged (old id -> IM id); one query for a batch. */
    public Map<String, String> doneImIds(String kind, Collection<String> oldIds) {
        if (oldIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> found = new HashMap<>();
        named.query("SELECT old_id, im_id FROM id_map WHERE " + keysMatch("") + " AND state = 'done'",
                keys(kind, oldIds),
                rs -> { found.put(rs.getString(1), rs.getString(2)); });
        return found;
    }

    public long count(String kind, String state) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM id_map WHERE kind = ? AND state = ?", Long.class, kind, state);
        return n == null ? 0 : n;
    }

    /** Which side created the entity IM knows as {@code imId} ("old" or "im"), if the id map has it. */
    public Optional<String> originOf(String kind, String imId) {
        return jdbc.query("SELECT origin FROM id_map WHERE kind = ? AND im_id = ?",
                (rs, i) -> rs.getString(1), kind, imId).stream().findFirst();
    }

    /**
     * Claims an old id for an entity created on the IM side, before it is written into the old system
     * (never overwriting a live row): false when the old id is taken by a live entity, or the IM id
     * already mapped. An old id whose entity ended (a disbanded group) is free again ({@link #claim}).
     */
    public boolean reserve(String kind, String oldId, String imId, String origin, String conversation) {
        return switch (claim(kind, oldId, imId, origin, conversation, false)) {
            case NEW, REVIVED -> true;
            case SAME, TAKEN -> false;
        };
    }

    /** One id map row as the live sync sees it: which IM id, who created it, its outcome and its lifecycle. */
    public record Row(String imId, String origin, String state, String lifecycle) {
        /** Acknowledged by IM (or written into the old system) and not ended since. */
        public boolean live() {
            return DONE.equals(state) && LIVE.equals(lifecycle);
        }

        public boolean ended() {
            return !LIVE.equals(lifecycle);
        }
    }

    public Optional<Row> row(String kind, String oldId) {
        return jdbc.query("SELECT im_id, origin, state, lifecycle FROM id_map WHERE kind = ? AND old_id = ?",
                (rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), kind, oldId).stream().findFirst();
    }

    /**
     * The rows of one old id under several kinds (kind -> row), in one query: the sender's check of a
     * change under its live kind and its import stage's costs one round trip.
     */
    public Map<String, Row> rows(String oldId, String... kinds) {
        List<Object[]> keys = new ArrayList<>(kinds.length);
        for (String kind : kinds) {
            keys.add(new Object[] {kind, oldId});
        }
        Map<String, Row> found = new HashMap<>();
        named.query("SELECT kind, im_id, origin, state, lifecycle FROM id_map WHERE (kind, old_id) IN (:keys)",
                new MapSqlParameterSource("keys", keys),
                rs -> { found.put(rs.getString(1), new Row(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))); });
        return found;
    }

    /**
     * The rows of many old ids under several kinds, in one query: kind -> old id -> row (the log capture's
     * writer looks up the groups of a whole batch at once).
     */
    public Map<String, Map<String, Row>> rows(java.util.Collection<String> oldIds, String... kinds) {
        Map<String, Map<String, Row>> found = new HashMap<>();
        if (oldIds.isEmpty()) {
            return found;
        }
        MapSqlParameterSource keys;
        String match;
        if (arrays) {
            // every kind with every old id: the same pairs as the row values below, looked up in the primary key
            keys = new MapSqlParameterSource("kinds", kinds).addValue("ids", oldIds.toArray(String[]::new));
            match = "kind = ANY(:kinds) AND old_id = ANY(:ids)";
        } else {
            List<Object[]> pairs = new ArrayList<>(oldIds.size() * kinds.length);
            for (String oldId : oldIds) {
                for (String kind : kinds) {
                    pairs.add(new Object[] {kind, oldId});
                }
            }
            keys = new MapSqlParameterSource("keys", pairs);
            match = "(kind, old_id) IN (:keys)";
        }
        named.query("SELECT kind, old_id, im_id, origin, state, lifecycle FROM id_map WHERE " + match,
                keys, rs -> {
                    found.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2), new Row(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                });
        return found;
    }

    /** What {@link #claim} did. */
    public enum Claim {
        /** The old id was free: a new row. */
        NEW,
        /** A live row already mapped the same ids (a redelivery). */
        SAME,
        /** The old id belonged to an entity that ended: that row went to id_map_retired and the old id maps the new entity. */
        REVIVED,
        /** A live row maps the old id to something else, and {@code overwriteLive} was false. */
        TAKEN
    }

    /**
     * Maps an old id to a new live entity. A row whose entity ended (disbanded, left) is moved to
     * {@code id_map_retired} first: an old id that comes back is a new entity. A live row is overwritten
     * only when {@code overwriteLive} (the sender recording what IM just acknowledged). Reads before it
     * writes: a failed INSERT would abort a shared PostgreSQL transaction.
     */
    public Claim claim(String kind, String oldId, String imId, String origin, String conversation, boolean overwriteLive) {
        Timestamp now = Timestamp.from(Instant.now());
        Optional<Row> existing = row(kind, oldId);
        if (existing.isEmpty()) {
            try {
                insert(kind, oldId, imId, origin, DONE, conversation, null, now, null, null);
                return Claim.NEW;
            } catch (DuplicateKeyException raced) {
                existing = row(kind, oldId);
                if (existing.isEmpty()) {
                    return Claim.TAKEN; // the IM id is mapped under another old id
                }
            }
        }
        Row row = existing.get();
        if (!row.ended()) {
            if (row.live() && java.util.Objects.equals(row.imId(), imId) && java.util.Objects.equals(row.origin(), origin)) {
                return Claim.SAME;
            }
            if (!overwriteLive) {
                return Claim.TAKEN;
            }
        } else {
            jdbc.update("INSERT INTO id_map_retired (kind, old_id, im_id, origin, lifecycle, conversation, created_at, ended_at, retired_at) "
                    + "SELECT kind, old_id, im_id, origin, lifecycle, conversation, created_at, updated_at, ? FROM id_map "
                    + "WHERE kind = ? AND old_id = ?", now, kind, oldId);
        }
        jdbc.update("UPDATE id_map SET im_id = ?, origin = ?, state = ?, lifecycle = ?, conversation = ?, detail = NULL, "
                + "dead_letter_ref = NULL, awaited_kind = NULL, awaited_old_id = NULL, created_at = ?, updated_at = ? WHERE kind = ? AND old_id = ?",
                imId, origin, DONE, LIVE, conversation, now, now, kind, oldId);
        return row.ended() ? Claim.REVIVED : Claim.NEW;
    }

    /** Marks a live entity as ended ({@link #DISBANDED}, {@link #LEFT}); true when a row changed. */
    public boolean end(String kind, String oldId, String lifecycle) {
        return jdbc.update("UPDATE id_map SET lifecycle = ?, updated_at = ? WHERE kind = ? AND old_id = ? AND lifecycle = 'live'",
                lifecycle, Timestamp.from(Instant.now()), kind, oldId) > 0;
    }

    /**
     * Marks the rows of an old id prefix as ended: the memberships of a disbanded group (old ids
     * "group:user"). A range of the primary key, so no scan of the kind.
     */
    public int endPrefixed(String kind, String oldIdPrefix, String lifecycle) {
        String pattern = oldIdPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return jdbc.update("UPDATE id_map SET lifecycle = ?, updated_at = ? WHERE kind = ? AND old_id LIKE ? ESCAPE '!' AND lifecycle = 'live'",
                lifecycle, Timestamp.from(Instant.now()), kind, pattern);
    }

    /** What a row was before an upsert: none, dead-lettered (rejected or failed), done, or anything else. */
    private enum Previous { NONE, REJECTED, DONE, OTHER }

    private Previous upsert(String kind, String oldId, String imId, String origin, String state, String conversation, String detail,
                            String deadLetterRef, Awaited awaited) {
        Timestamp now = Timestamp.from(Instant.now());
        if (onConflictDoNothing) {
            return insertUnlessMapped(kind, oldId, imId, origin, state, conversation, detail, now, deadLetterRef, awaited)
                    ? Previous.NONE : update(kind, oldId, imId, state, conversation, detail, now, deadLetterRef, awaited);
        }
        try {
            insert(kind, oldId, imId, origin, state, conversation, detail, now, deadLetterRef, awaited);
            return Previous.NONE;
        } catch (DuplicateKeyException exists) {
            Previous previous = update(kind, oldId, imId, state, conversation, detail, now, deadLetterRef, awaited);
            if (previous == Previous.NONE && imId != null && mappedUnderAnotherOldId(kind, oldId, imId)) {
                throw exists; // not this old id's row: the IM id is another's, as on PostgreSQL
            }
            return previous;
        }
    }

    private boolean mappedUnderAnotherOldId(String kind, String oldId, String imId) {
        return !jdbc.queryForList("SELECT old_id FROM id_map WHERE kind = ? AND im_id = ? AND old_id <> ?", String.class, kind, imId, oldId)
                .isEmpty();
    }

    /** Updates the row, telling whether it was dead-lettered before (only a row that exists is looked at twice). */
    private Previous update(String kind, String oldId, String imId, String state, String conversation, String detail, Timestamp now,
                            String deadLetterRef, Awaited awaited) {
        String set = "UPDATE id_map SET im_id = ?, state = ?, conversation = ?, detail = ?, dead_letter_ref = ?, awaited_kind = ?, "
                + "awaited_old_id = ?, updated_at = ? WHERE kind = ? AND old_id = ?";
        String awaitedKind = awaited == null ? null : awaited.kind();
        String awaitedOldId = awaited == null ? null : awaited.oldId();
        if (jdbc.update(set + " AND state IN ('rejected', 'failed')", imId, state, conversation, detail, deadLetterRef,
                awaitedKind, awaitedOldId, now, kind, oldId) > 0) {
            return Previous.REJECTED;
        }
        if (DONE.equals(state) && jdbc.update(set + " AND state = '" + DONE + "'", imId, state, conversation, detail, deadLetterRef,
                awaitedKind, awaitedOldId, now, kind, oldId) > 0) {
            return Previous.DONE;
        }
        return jdbc.update(set, imId, state, conversation, detail, deadLetterRef, awaitedKind, awaitedOldId, now, kind, oldId) > 0
                ? Previous.OTHER : Previous.NONE;
    }

    private void insert(String kind, String oldId, String imId, String origin, String state, String conversation, String detail,
                        Timestamp now, String deadLetterRef, Awaited awaited) {
        if (awaited == null) {
            // the import's hot path (every acknowledged record): the statement it always had
            jdbc.update("INSERT INTO id_map (kind, old_id, im_id, origin, state, conversation, detail, dead_letter_ref, created_at, updated_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?)", kind, oldId, imId, origin, state, conversation, detail, deadLetterRef, now, now);
            return;
        }
        jdbc.update("INSERT INTO id_map (kind, old_id, im_id, origin, state, conversation, detail, dead_letter_ref, awaited_kind, "
                + "awaited_old_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", kind, oldId, imId, origin, state,
                conversation, detail, deadLetterRef, awaited.kind(), awaited.oldId(), now, now);
    }

    /**
     * PostgreSQL: inserts the row unless its old id is mapped already (true when it inserted). Only the
     * primary key is a "conflict": an IM id mapped under another old id still fails, as with any INSERT.
     */
    private boolean insertUnlessMapped(String kind, String oldId, String imId, String origin, String state, String conversation,
                                       String detail, Timestamp now, String deadLetterRef, Awaited awaited) {
        return jdbc.update("INSERT INTO id_map (kind, old_id, im_id, origin, state, conversation, detail, dead_letter_ref, awaited_kind, "
                + "awaited_old_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (kind, old_id) DO NOTHING",
                kind, oldId, imId, origin, state, conversation, detail, deadLetterRef,
                awaited == null ? null : awaited.kind(), awaited == null ? null : awaited.oldId(), now, now) > 0;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
