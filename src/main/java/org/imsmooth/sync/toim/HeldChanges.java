package org.imsmooth.sync.toim;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Live changes waiting for their import stage (table sync_held_change), kept in arrival order per
 * conversation. Once a conversation holds anything, its later changes queue up behind it, so the
 * order survives. The lease holder releases them, in order, back onto the queue once the stage is done
 * or their conversation was handed off.
 */
@Component("heldChanges")
public class HeldChanges {

    /** Header on a released change: it is the head of its conversation's held line, not behind it. */
    public static final String RELEASED = "ImHeldRelease";
    static final String ENQUEUE = "direct:sync-old-to-im-enqueue";
    private static final Logger LOG = LoggerFactory.getLogger(HeldChanges.class);
    private volatile Duration leaseTtl = Duration.ofSeconds(30);
    private volatile Duration resendAfter = Duration.ofMinutes(10);

    private final JdbcTemplate jdbc;
    private final ImportHandOff handOff;
    private final CaptureLease lease;
    private final ProducerTemplate producer;
    /** Stages done with nothing held: a cache of a fact of the database that cannot change back. */
    private final java.util.Set<String> drained = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Handed-off conversations (groups, 1:1 pairs) with nothing held (mustHold): likewise a cache of a final fact of the database. */
    private final java.util.Set<String> settled = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** How long a lease lasts unless renewed ({@code migration.lease-ttl}): how soon another instance takes over. */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void leaseTtl(@Value("${migration.lease-ttl:30s}") Duration ttl) {
        this.leaseTtl = ttl;
    }

    /** How long a released change may stay unhandled before the release sends it again ({@code sync-to-im.held-resend-after}). */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void resendAfter(@Value("${sync-to-im.held-resend-after:10m}") Duration after) {
        this.resendAfter = after;
    }

    private final ChangeMessages messages;

    public HeldChanges(JdbcTemplate jdbc, ImportHandOff handOff, CaptureLease lease, ProducerTemplate producer, ChangeMessages messages) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.handOff = handOff;
        this.producer = producer;
        this.lease = lease;
    }

    /**
     * Whether a live change must be held: its conversation's history is not imported yet, or earlier
     * changes of the conversation are held. A group handed off with nothing held is settled: hand-off is
     * final and a line starts only with a change that must wait, so its later changes are answered from
     * memory, without the queries (a cache of the database's answer, never of a "must wait").
     */
    public boolean mustHold(String stage, OldSystemChange change, String conversation) {
        if (settled.contains(conversation)) {
            return false;
        }
        boolean stageRuns = handOff.mustWait(stage);
        if (stageRuns && !handOff.handedOff(stage, change)) {
            return true;
        }
        if (holdsAny(conversation, stage, stageRuns)) {
            return true;
        }
        if (stageRuns) {
            settled.add(conversation); // a handed-off conversation (a done stage needs no set: see holdsAny)
        }
        return false;
    }

    /**
     * Whether the conversation has changes waiting, asked once the change itself need not wait (its stage
     * is done, or its conversation was handed off). Once none of a done stage's changes wait, none ever
     * will again (a change is held only while its stage runs or behind a held one of its conversation,
     * and a conversation belongs to one stage): then this is answered without a query per change.
     */
    public boolean holdsAny(String conversation, String stage, boolean stageRuns) {
        if (stageRuns) {
            return holdsAny(conversation);
        }
        if (drained.contains(stage)) {
            return false;
        }
        Long waiting = jdbc.queryForObject("SELECT COUNT(*) FROM sync_held_change WHERE await_stage = ?", Long.class, stage);
        if (waiting == null || waiting == 0) {
            drained.add(stage);
            return false;
        }
        return holdsAny(conversation);
    }

    public boolean holdsAny(String conversation) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM sync_held_change WHERE conversation = ?", Integer.class, conversation);
        return n != null && n > 0;
    }

    /** Appends the change to its conversation's line; a redelivered change is held once. */
    public void hold(String conversation, OldSystemChange change, String stage, String payload) {
        String changeId = change.idKind() + ":" + change.sourceId();
        Long next = jdbc.queryForObject("SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_held_change WHERE conversation = ?",
                Long.class, conversation);
        try {
            jdbc.update("INSERT INTO sync_held_change (conversation, seq, change_id, await_stage, payload, held_at) VALUES (?,?,?,?,?,?)",
                    conversation, next, changeId, stage, payload, Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException alreadyHeld) {
            // a redelivery of a change already in the line
        }
    }

    public long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM sync_held_change", Long.class);
        return n == null ? 0 : n;
    }

    /**
     * Releases, in order, the lines whose stage is done. Each change goes to the queue, then its row is
     * marked released, not deleted: the sender deletes it once it has handled the change ({@link #handled}).
     * Until then the conversation's line is not empty, so a newer change that the sender takes first (one
     * already on the queue ahead of the released one) is held behind it and cannot overtake it. A crash
     * between the send and the mark sends the change again at the next release, and the sender finds it
     * in the id map. A row still marked after {@code sync-to-im.held-resend-after} (its change was
     * dead-lettered after its retries, or lost) is sent again, with the rest of its line behind it.
     */
    public int release() {
        if (!lease.acquire(leaseTtl)) {
            return 0;
        }
        int released = 0;
        Timestamp stale = Timestamp.from(Instant.now().minus(resendAfter));
        List<String> stages = jdbc.queryForList("SELECT DISTINCT await_stage FROM sync_held_change", String.class);
        for (String stage : stages) {
            boolean stageRuns = handOff.mustWait(stage);
            List<Held> rows = jdbc.query("SELECT conversation, seq, payload, released_at FROM sync_held_change WHERE await_stage = ? "
                    + "ORDER BY conversation, seq", (rs, i) -> new Held(rs.getString(1), rs.getLong(2), rs.getString(3),
                    rs.getTimestamp(4)), stage);
            String conversation = null;
            boolean releasing = false;
            boolean resending = false;
            for (Held row : rows) {
                if (!row.conversation().equals(conversation)) {
                    conversation = row.conversation();
                    // the line's head decides for the conversation: all its changes share the group or the 1:1 pair
                    releasing = !stageRuns || !handOff.mustWait(stage, messages.read(row.payload()));
                    resending = false;
                }
                if (!releasing) {
                    continue;
                }
                if (row.releasedAt() != null && !row.releasedAt().before(stale) && !resending) {
                    continue; // on the queue, not handled yet: the rows after it follow it there
                }
                // from a stale row on, the rest of the line goes again behind it (duplicates: skipped by the id map)
                resending = true;
                producer.sendBodyAndHeader(ENQUEUE, row.payload(), RELEASED, true);
                jdbc.update("UPDATE sync_held_change SET released_at = ? WHERE conversation = ? AND seq = ?",
                        Timestamp.from(Instant.now()), row.conversation(), row.seq());
                released++;
            }
        }
        if (released > 0) {
            LOG.info("Released {} live changes that waited for their conversation's import", released);
        }
        return released;
    }

    /**
     * The sender handled a released change (sent it, skipped it, or dead-lettered it as refused): its row
     * leaves the line (also when the sender was faster than the release's mark).
     */
    public void handled(OldSystemChange change) {
        jdbc.update("DELETE FROM sync_held_change WHERE change_id = ?", change.idKind() + ":" + change.sourceId());
    }

    private record Held(String conversation, long seq, String payload, Timestamp releasedAt) {
    }
}
