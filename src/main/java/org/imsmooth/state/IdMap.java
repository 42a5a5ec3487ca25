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

import org.imsmooth.state.IdMapDialect.Was;
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
    /** The statements that differ between state databases (H2, PostgreSQL, MySQL/MariaDB), chosen once from the connection. */
    private final IdMapDialect dialect;

    public IdMap(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = IdMapDialect.of(jdbc);
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
            case DEAD_LETTER -> Before.DEAD_LETTER;
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
        return upsert(kind, oldId, null, origin, REJECTED, null, truncate(reason), deadLetterRef, awaited) != Was.DEAD_LETTER;
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
        IdMapDialect.Keys keys = dialect.keys("", kind, oldIds);
        named.query("SELECT old_id, state, dead_letter_ref FROM id_map WHERE " + keys.condition(), keys.parameters(),
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
        IdMapDialect.Keys keys = dialect.keys("", kind, oldIds);
        named.query("SELECT old_id, im_id FROM id_map WHERE " + keys.condition() + " AND state IN ('done', 'validated')",
                keys.parameters(), rs -> { found.put(rs.getString(1), rs.getString(2)); });
        return found;
    }

    /**
     * Records an entity dead-lettered for a reason that is not invalid data ({@link #FAILED}) by the
     * work-queue message {@code deadLetterRef}. True only when the row was not dead-lettered already.
     */
    public boolean recordFailed(String kind, String oldId, String origin, String reason, String deadLetterRef) {
        return upsert(kind, oldId, null, origin, FAILED, null, truncate(reason), deadLetterRef, null) != Was.DEAD_LETTER;
    }

    /** Why these old ids were dead-lettered (old id -> reason), for those that were; one query for a batch. */
    public Map<String, String> deadLetterReasons(String kind, Collection<String> oldIds) {
        if (oldIds.isEmpty()) {
            return Map.of();
        }
        Map<String, String> found = new HashMap<>();
        IdMapDialect.Keys keys = dialect.keys("", kind, oldIds);
        named.query("SELECT old_id, detail FROM id_map WHERE " + keys.condition() + " AND state IN ('rejected', 'failed')",
                keys.parameters(), rs -> {
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
        IdMapDialect.Keys keys = dialect.keys("", kind, oldIds);
        List<String> found = named.queryForList("SELECT old_id FROM id_map WHERE " + keys.condition() + " AND state = 'done'",
                keys.parameters(), String.class);
        return new HashSet<>(found);
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
        IdMapDialect.Keys keys = dialect.keys("m", kind, oldIds);
        List<String> found = named.queryForList("SELECT m.old_id FROM id_map m WHERE " + keys.condition() + " "
                + "AND m.state IN ('done', 'rejected', 'failed') AND NOT " + AWAITED_NOW_DONE,
                keys.parameters(), String.class);
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
        IdMapDialect.Keys keys = dialect.keys("m", kind, oldIds);
        named.query("SELECT m.old_id, m.detail FROM id_map m WHERE " + keys.condition() + " AND " + AWAITED_NOW_DONE,
                keys.parameters(), rs -> { found.put(rs.getString(1), String.valueOf(rs.getString(2))); });
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
        IdMapDialect.Keys keys = dialect.keys("", kind, oldIds);
        named.query("SELECT old_id, im_id FROM id_map WHERE " + keys.condition() + " AND state = 'done'", keys.parameters(),
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
        IdMapDialect.Keys keys = dialect.keys(oldIds, kinds);
        named.query("SELECT kind, old_id, im_id, origin, state, lifecycle FROM id_map WHERE " + keys.condition(),
                keys.parameters(), rs -> {
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

    /**
     * Inserts the row, or updates the one the old id has. The INSERT comes first (almost every write is a
     * new row, and an UPDATE that found nothing first was a fifth of the state writer's time) and skips an
     * old id that is mapped already without failing ({@link IdMapDialect#insertUnlessMapped}); an existing
     * row is then updated, telling what it was before ({@link IdMapDialect#updateReturningPrevious}).
     */
    private Was upsert(String kind, String oldId, String imId, String origin, String state, String conversation, String detail,
                            String deadLetterRef, Awaited awaited) {
        IdMapDialect.Row row = row(kind, oldId, imId, origin, state, conversation, detail, Timestamp.from(Instant.now()),
                deadLetterRef, awaited);
        return dialect.insertUnlessMapped(row) ? Was.NONE : dialect.updateReturningPrevious(row);
    }

    private void insert(String kind, String oldId, String imId, String origin, String state, String conversation, String detail,
                        Timestamp now, String deadLetterRef, Awaited awaited) {
        dialect.insert(row(kind, oldId, imId, origin, state, conversation, detail, now, deadLetterRef, awaited));
    }

    private static IdMapDialect.Row row(String kind, String oldId, String imId, String origin, String state, String conversation,
                                        String detail, Timestamp now, String deadLetterRef, Awaited awaited) {
        return new IdMapDialect.Row(kind, oldId, imId, origin, state, conversation, detail, deadLetterRef,
                awaited == null ? null : awaited.kind(), awaited == null ? null : awaited.oldId(), now);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
