package org.imsmooth.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One reconciliation per import, whichever instance finishes it: the instance that takes the
 * {@code reconciliation} lease builds the report and stores it here; the others wait for it and
 * read it instead of reading IM back a second time on the shared quota. A holder that dies stops
 * renewing the lease, and another instance builds the report. An import is identified by the
 * fingerprint of its finished stages' counters: the same counters on every instance, and a new
 * fingerprint once anything changed (a replay, a rerun stage), which is reconciled again.
 */
@Component
public class ReconciliationVerdicts {

    /** A stored verdict: who built it, when, whether it balances, and the report as JSON. */
    public record Verdict(String fingerprint, String instanceId, boolean balanced, String reportJson, Instant finishedAt) {
    }

    private final JdbcTemplate jdbc;
    private final DatabaseLease lease;

    public ReconciliationVerdicts(JdbcTemplate jdbc, InstanceId instance) {
        this.jdbc = jdbc;
        this.lease = new DatabaseLease(jdbc, "reconciliation", instance) { };
    }

    /** The fingerprint of an import from its stages' counters (any stable text of each, in order). */
    public static String fingerprint(List<?> stageCounters) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object counters : stageCounters) {
                sha.update(String.valueOf(counters).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Verdict> of(String fingerprint) {
        return jdbc.query("SELECT fingerprint, instance_id, balanced, report, finished_at FROM reconciliation_verdict WHERE fingerprint = ?",
                (rs, i) -> new Verdict(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()), fingerprint).stream().findFirst();
    }

    /** The verdict stored last, of any import on this state database. */
    public Optional<Verdict> latest() {
        return jdbc.query("SELECT fingerprint, instance_id, balanced, report, finished_at FROM reconciliation_verdict"
                        + " ORDER BY finished_at DESC",
                rs -> rs.next() ? Optional.of(new Verdict(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant())) : Optional.<Verdict>empty());
    }

    /** Takes or renews the right to build the report; false while another instance holds it. */
    public boolean claim(Duration ttl) {
        return lease.acquire(ttl);
    }

    public void releaseClaim() {
        lease.release();
    }

    /** Stores the verdict; a verdict already stored for this fingerprint is kept (and returned). */
    public Verdict store(Verdict verdict) {
        try {
            jdbc.update("INSERT INTO reconciliation_verdict (fingerprint, instance_id, balanced, report, finished_at) VALUES (?,?,?,?,?)",
                    verdict.fingerprint(), verdict.instanceId(), verdict.balanced(), verdict.reportJson(),
                    Timestamp.from(verdict.finishedAt()));
            return verdict;
        } catch (DuplicateKeyException stored) {
            return of(verdict.fingerprint()).orElseThrow();
        }
    }
}
