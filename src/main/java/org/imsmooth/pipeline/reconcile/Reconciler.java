package org.imsmooth.pipeline.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.imsmooth.im.ImRetryableException;
import org.imsmooth.oldsystem.OldSystemSource;
import org.imsmooth.pipeline.MigrationProperties;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Builds the reconciliation report: reads the old system again (independently of the import's
 * cursors), checks every row against the id map (imported, dead-lettered, or missing; per
 * conversation for messages), then reads IM back kind by kind: the id map's acknowledged records (all,
 * or a sample: {@code migration.reconcile.sample}) are streamed and their read-back calls run side by
 * side on {@link ReadBackPool}, each API at its quota's pace, while the next kind's old-system rows are
 * compared. Memory stays bounded: rows are streamed
 * page by page and looked up in batches, and the read-back's backlog is a few pages.
 * <p>
 * The verdict is BALANCED only when every stage is done and every old-system record is either in IM
 * (acknowledged, and read back where IM lets us) or dead-lettered as invalid data: rejected before the
 * call, refused by IM for what it carried, or a dependent of such a record ({@link IdMap#REJECTED}).
 * A record that is missing, dead-lettered for another reason ({@link IdMap#FAILED}: an unexpected
 * error, IM refusing every call), or that IM does not show when read back makes it NOT BALANCED. So
 * does a record dead-lettered because a record it refers to was not imported yet, when IM holds that
 * record now ({@link IdMap#deadLetteredTooEarly}): a stage was declared done too early, a fault of the
 * service; its dead letters can be replayed. One whose referenced record was itself dead-lettered stays
 * invalid data.
 */
@Service
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final int LOOKUP_BATCH = 500;

    private final MigrationProperties plan;
    private final OldSystemSource oldSystem;
    private final IdMap idMap;
    private final UserReadBack users;
    private final C2cReadBack c2c;
    private final GroupReadBack groups;
    private final ReadBackPool pool;
    private final ReconciliationProgress progress;
    private final Sample sample;
    private final int maxListed;

    public Reconciler(MigrationProperties plan, OldSystemSource oldSystem, IdMap idMap, UserReadBack users, C2cReadBack c2c,
                      GroupReadBack groups, ReadBackPool pool, ReconciliationProgress progress,
                      @Value("${migration.reconcile.sample:all}") String sample,
                      @Value("${migration.reconcile.max-differences-listed:1000}") int maxListed) {
        this.plan = plan;
        this.oldSystem = oldSystem;
        this.idMap = idMap;
        this.users = users;
        this.c2c = c2c;
        this.groups = groups;
        this.pool = pool;
        this.progress = progress;
        this.sample = Sample.parse(sample);
        this.maxListed = maxListed;
    }

    /** The report on the id map and IM as they are, whatever the stages' states. */
    public ReconciliationReport run() {
        return run(List.of());
    }

    /** The report; a stage of {@code stages} that is not done is a difference (the import did not finish). */
    public ReconciliationReport run(List<StageProgress.Counters> stages) {
        progress.start(plan.stages().keySet(), sample.describe());
        boolean built = false;
        try {
            ReconciliationReport report = build(stages);
            built = true;
            return report;
        } finally {
            progress.finish(built);
        }
    }

    private ReconciliationReport build(List<StageProgress.Counters> stages) {
        long started = System.nanoTime();
        List<ReconciliationReport.KindLine> lines = new ArrayList<>();
        List<ReconciliationReport.Difference> differences = new ArrayList<>();
        long[] omitted = {0};
        List<String> unfinished = new ArrayList<>();
        for (StageProgress.Counters stage : stages) {
            if (!"done".equals(stage.state())) {
                unfinished.add(stage.stage());
                add(differences, new ReconciliationReport.Difference(stage.stage(), "*", "the stage ended " + stage.state()
                        + ", not done"), omitted);
            }
        }
        // one kind is read back while the next kind's old-system rows are compared: the read-back's calls
        // are the reconciliation's critical path, the old system's second read need not add to it
        record Compared(String kind, List<ReconciliationReport.Difference> differences, long[] omitted, long[] missing, long acknowledged,
                        Future<ReadBack> readBack) {
        }
        ExecutorService readBacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reconcile-read-back");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Compared> compared = new ArrayList<>();
            for (String kind : plan.stages().keySet()) {
                progress.comparing(kind);
                Map<String, Long> unreadExpected = new HashMap<>();
                List<ReconciliationReport.Difference> kindDifferences = new ArrayList<>();
                long[] kindOmitted = {0};
                long[] missing = missing(kind, kindDifferences, kindOmitted, unreadExpected);
                long acknowledged = idMap.count(kind, IdMap.DONE);
                compared.add(new Compared(kind, kindDifferences, kindOmitted, missing, acknowledged,
                        readBacks.submit(() -> readBack(kind, acknowledged, unreadExpected))));
                progress.compared(kind);
            }
            for (Compared c : compared) {
                String kind = c.kind();
                long acknowledged = c.acknowledged();
                ReadBack readBack = result(c.readBack());
                progress.kindDone(kind);
                c.differences().forEach(d -> add(differences, d, omitted));
                omitted[0] += c.omitted()[0];
                for (ReconciliationReport.Difference d : readBack.differences()) {
                    add(differences, d, omitted);
                }
                omitted[0] += readBack.omitted();
                long total = oldSystem.total(kind);
                long failed = idMap.count(kind, IdMap.FAILED);
                for (Map.Entry<String, String> f : idMap.failed(kind, maxListed)) {
                    add(differences, new ReconciliationReport.Difference(kind, f.getKey(),
                            "dead-lettered, but not as invalid data: " + f.getValue()), omitted);
                }
                String note = readBack.note;
                long read = readBack.checked() + readBack.notVerifiable();
                if (!sample.all() && read < acknowledged && read > 0) {
                    note += " (a sample: " + read + " of " + acknowledged + " acknowledged)";
                }
                long tooEarly = c.missing()[1];
                long invalid = idMap.count(kind, IdMap.REJECTED) - tooEarly;
                if (tooEarly > 0) {
                    add(differences, new ReconciliationReport.Difference(kind, "*", tooEarly + " records were dead-lettered for want "
                            + "of a record that IM holds now (a stage was declared done before its records were in IM): a fault of "
                            + "the service, not invalid data. Replay them: POST /api/migration/stages/" + kind + "/dlq/replay, "
                            + "or retryMessages on im.import." + kind + ".DLQ in Hawtio"), omitted);
                }
                lines.add(new ReconciliationReport.KindLine(kind, total, acknowledged, invalid, failed, tooEarly,
                        c.missing()[0], idMap.countTruncated(kind), readBack.checked(), readBack.failed(), readBack.notVerifiable(), note));
                LOG.info("Reconciled {}: old {}, acknowledged {}, dead-lettered {}, dead-lettered too early {}, missing {}, "
                        + "read back {} ({} failed, {} not verifiable)", kind, total, acknowledged, invalid, tooEarly, c.missing()[0],
                        readBack.checked(), readBack.failed(), readBack.notVerifiable());
            }
        } finally {
            // a failed comparison stops the read-back that is under way (its queued kinds never start)
            readBacks.shutdownNow();
        }
        boolean balanced = unfinished.isEmpty()
                && lines.stream().allMatch(l -> l.missing() == 0 && l.readBackFailed() == 0 && l.failed() == 0
                        && l.deadLetteredTooEarly() == 0);
        double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1000.0;
        return new ReconciliationReport(Instant.now(), balanced, sample.describe(), seconds, progress.callsByApi(),
                lines, differences, (int) omitted[0]);
    }

    /**
     * Old rows that are not accounted for: {0: with no id map row, 1: dead-lettered too early}
     * ({@link IdMap#deadLetteredTooEarly}); the missing messages are also summed per conversation.
     */
    private long[] missing(String kind, List<ReconciliationReport.Difference> differences, long[] omitted, Map<String, Long> unread) {
        long[] missing = {0, 0};
        Map<String, long[]> perConversation = new LinkedHashMap<>();
        Map<String, String> conversationOf = new HashMap<>();
        List<String> batch = new ArrayList<>();
        Runnable lookup = () -> {
            Set<String> accounted = idMap.accounted(kind, batch);
            // asked only about what is not accounted for: nothing more to read when everything is
            Map<String, String> tooEarly = accounted.size() == batch.size() ? Map.of()
                    : idMap.deadLetteredTooEarly(kind, batch.stream().filter(id -> !accounted.contains(id)).toList());
            for (String oldId : batch) {
                String reason = tooEarly.get(oldId);
                if (reason != null) {
                    missing[1]++;
                    add(differences, new ReconciliationReport.Difference(kind, oldId, "dead-lettered too early (a fault of the "
                            + "service, not invalid data): " + reason + ", but IM holds it now; replay it"), omitted);
                } else if (!accounted.contains(oldId)) {
                    missing[0]++;
                    String conversation = conversationOf.get(oldId);
                    if (conversation != null) {
                        perConversation.get(conversation)[1]++;
                    } else {
                        add(differences, new ReconciliationReport.Difference(kind, oldId, "in the old system, neither imported nor dead-lettered"), omitted);
                    }
                }
            }
            batch.clear();
            conversationOf.clear();
        };
        oldSystem.scan(kind, row -> {
            String oldId = oldIdOf(kind, row);
            String conversation = conversationOf(kind, row);
            if (conversation != null) {
                perConversation.computeIfAbsent(conversation, c -> new long[2])[0]++;
                conversationOf.put(oldId, conversation);
            }
            if ("group-unread".equals(kind) && row.get("unread") instanceof Number n) {
                unread.put(oldId, n.longValue());
            }
            batch.add(oldId);
            if (batch.size() == LOOKUP_BATCH) {
                lookup.run();
            }
        }, unreadableId -> {
            // a row the old system cannot return: the import dead-lettered it under this id
            batch.add(unreadableId);
            if (batch.size() == LOOKUP_BATCH) {
                lookup.run();
            }
        });
        lookup.run();
        perConversation.forEach((conversation, counts) -> {
            if (counts[1] > 0) {
                add(differences, new ReconciliationReport.Difference(kind, conversation,
                        counts[1] + " of " + counts[0] + " messages of this conversation are neither imported nor dead-lettered"), omitted);
            }
        });
        return missing;
    }

    private static ReadBack result(Future<ReadBack> readBack) {
        try {
            return readBack.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading IM back", e);
        }
    }

    /** Reads the sampled acknowledged records of a kind back, on the pool; waits for all of them. */
    private ReadBack readBack(String kind, long acknowledged, Map<String, Long> unreadExpected) {
        java.util.function.Consumer<ReadBack> read = switch (kind) {
            case "accounts" -> users::accounts;
            case "profiles" -> users::profiles;
            case "friends" -> users::friends;
            case "c2c-messages" -> c2c::messages;
            case "groups" -> groups::groups;
            case "group-members" -> groups::members;
            case "group-messages" -> groups::messages;
            case "group-unread" -> r -> groups.unread(r, unreadExpected);
            default -> null;
        };
        if (read == null) {
            return ReadBack.none(kind, "no read-back API for this kind: compared with IM's acknowledgements only");
        }
        Sample.Picker picker = sample.picker(acknowledged);
        ReadBack result = new ReadBack(kind, picker, pool.tasks(), progress.readingBack(kind, picker.wanted()).checked, maxListed);
        try {
            read.accept(result);
            result.await();
            return result;
        } catch (ImRetryableException e) {
            result.drain();
            // IM did not answer (PacedCalls retried): the verdict cannot be given, which is not "not balanced"
            throw new IllegalStateException("IM could not be read back for " + kind + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            result.drain();
            ReadBack failed = ReadBack.none(kind, "read-back failed: " + e.getMessage());
            failed.fail(kind, "*", "could not read IM back: " + e.getMessage());
            return failed;
        }
    }

    /** The id-map key of an old row, as the pipelines record it. */
    static String oldIdOf(String kind, Map<String, Object> row) {
        return switch (kind) {
            case "friends" -> text(row.get("user_id")) + ":" + text(row.get("friend_id"));
            case "c2c-read-marks" -> text(row.get("user_id")) + ":" + text(row.get("peer_id"));
            case "group-members", "group-unread" -> text(row.get("group_id")) + ":" + text(row.get("user_id"));
            default -> text(row.get("source_id"));
        };
    }

    private static String conversationOf(String kind, Map<String, Object> row) {
        if ("c2c-messages".equals(kind)) {
            String a = text(row.get("from_id"));
            String b = text(row.get("to_id"));
            return a.compareTo(b) <= 0 ? a + "<->" + b : b + "<->" + a;
        }
        if ("group-messages".equals(kind)) {
            return "group " + text(row.get("group_id"));
        }
        return null;
    }

    private static String text(Object value) {
        if (value instanceof java.math.BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    private void add(List<ReconciliationReport.Difference> differences, ReconciliationReport.Difference d, long[] omitted) {
        if (differences.size() < maxListed) {
            differences.add(d);
        } else {
            omitted[0]++;
        }
    }
}
