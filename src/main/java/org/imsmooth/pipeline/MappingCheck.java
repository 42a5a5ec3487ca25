package org.imsmooth.pipeline;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.AccountRecord;
import org.imsmooth.canonical.C2cMessageRecord;
import org.imsmooth.canonical.CanonicalRecord;
import org.imsmooth.canonical.FriendRecord;
import org.imsmooth.canonical.GroupMemberRecord;
import org.imsmooth.canonical.GroupMessageRecord;
import org.imsmooth.canonical.GroupRecord;
import org.imsmooth.canonical.GroupUnreadRecord;
import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.ProfileRecord;
import org.imsmooth.canonical.ReadMarkRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.oldsystem.KeysetPageReader;
import org.imsmooth.pipeline.group.GroupImport;
import org.imsmooth.pipeline.message.MessageBodies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * {@code --migration.check-mapping=true}: shows, in seconds, what the mapping makes of the old system, then
 * exits. For each import stage it prints the first {@code migration.check-mapping-rows} rows as canonical
 * records (with the IM ids, and the IM MsgBody of a message), and the first refusals among the first
 * {@code migration.check-mapping-scan} rows: what a record's own columns decide (ids, message bodies,
 * times). References between kinds (an unknown sender, a member of a refused group) and what IM itself
 * refuses are the dry run's and the rehearsal's job.
 * <p>
 * Exit code 0 when every query runs and every row has the columns its kind needs (refused rows are data,
 * listed); 2 when a query is missing or does not run (refused at start, as for the service) or a row lacks
 * a required column. {@code ops.MappingCheckMode} keeps the service's other work off in this mode.
 */
@Component
@ConditionalOnProperty(name = "migration.check-mapping", havingValue = "true")
public class MappingCheck implements ApplicationRunner {

    public static final int MAPPING_WORKS = 0;
    public static final int CONFIGURATION_ERROR = 2;
    private static final Logger LOG = LoggerFactory.getLogger("migration.check-mapping");
    private static final int REFUSALS_SHOWN = 5;

    /** Each stage's canonical record, as its reader makes it (the stage bean's toRecord). */
    private static final Map<String, Function<Map<String, Object>, CanonicalRecord>> RECORDS = Map.of(
            "accounts", AccountRecord::fromRow,
            "profiles", ProfileRecord::fromRow,
            "friends", FriendRecord::fromRow,
            "c2c-messages", C2cMessageRecord::fromRow,
            "c2c-read-marks", ReadMarkRecord::fromRow,
            "groups", GroupRecord::fromRow,
            "group-members", GroupMemberRecord::fromRow,
            "group-messages", GroupMessageRecord::fromRow,
            "group-unread", GroupUnreadRecord::fromRow);

    private final MigrationProperties plan;
    private final KeysetPageReader reader;
    private final ImIdRule ids;
    private final MessageBodies bodies;
    private final int rowsShown;
    private final int rowsScanned;
    private final ObjectProvider<ProcessExit> exit;
    private final ApplicationContext context;
    private final ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public MappingCheck(MigrationProperties plan, KeysetPageReader reader, ImIdRule ids, MessageBodies bodies,
                        @Value("${migration.check-mapping-rows:3}") int rowsShown,
                        @Value("${migration.check-mapping-scan:10000}") int rowsScanned,
                        ObjectProvider<ProcessExit> exit, ApplicationContext context) {
        this.plan = plan;
        this.reader = reader;
        this.ids = ids;
        this.bodies = bodies;
        this.rowsShown = rowsShown;
        this.rowsScanned = Math.max(rowsShown, rowsScanned);
        this.exit = exit;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        int code = check(System.out);
        LOG.info("Mapping check done: exiting with {} ({})", code, code == MAPPING_WORKS ? "the mapping works" : "a mapping error");
        ProcessExit process = exit.getIfAvailable(() -> c -> new Thread(
                () -> System.exit(SpringApplication.exit(context, () -> c)), "check-mapping-exit").start());
        process.exit(code);
    }

    /** Prints the check of every stage to {@code out}; returns the exit code. */
    public int check(PrintStream out) {
        boolean mappingError = false;
        long now = System.currentTimeMillis() / 1000;
        for (String stage : plan.stages().keySet()) {
            out.println("== " + stage + " (old rows: " + total(stage) + ")");
            List<Map<String, Object>> rows;
            try {
                rows = reader.firstRows(stage, rowsScanned);
            } catch (DataAccessException e) {
                out.println("   cannot read the first rows: " + KeysetPageReader.databaseError(e));
                mappingError = true;
                continue;
            }
            List<String> refusals = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = rows.get(i);
                CanonicalRecord record;
                try {
                    record = RECORDS.get(stage).apply(row);
                } catch (RejectedRecordException | IllegalArgumentException | java.time.DateTimeException e) {
                    out.println("   MAPPING ERROR, row " + (i + 1) + ": " + e.getMessage());
                    mappingError = true;
                    break;
                }
                Map<String, Object> derived = new LinkedHashMap<>();
                String refusal = refusal(stage, record, derived, now);
                if (i < rowsShown) {
                    out.println("   row    " + row);
                    out.println("   record " + write(record));
                    if (!derived.isEmpty()) {
                        out.println("   IM     " + write(derived));
                    }
                    if (refusal != null) {
                        out.println("   REFUSED " + refusal);
                    }
                }
                if (refusal != null) {
                    refused++;
                    if (refusals.size() < REFUSALS_SHOWN) {
                        refusals.add(record.sourceId() + ": " + refusal);
                    }
                }
            }
            out.println("   " + rows.size() + " rows read" + (rows.size() == rowsScanned ? " (the first " + rowsScanned + ")" : "")
                    + ", " + refused + " refused" + (refusals.isEmpty() ? "" : "; the first:"));
            refusals.forEach(r -> out.println("     - " + r));
        }
        out.println(mappingError ? "Mapping check: MAPPING ERROR (see above)"
                : "Mapping check: every query runs and every row has its kind's columns");
        out.flush();
        return mappingError ? CONFIGURATION_ERROR : MAPPING_WORKS;
    }

    private String total(String stage) {
        try {
            long total = reader.total(stage);
            return total < 0 ? "no total query" : String.valueOf(total);
        } catch (DataAccessException e) {
            return "the total query fails: " + KeysetPageReader.databaseError(e);
        }
    }

    /**
     * What the record's own columns decide, with what it becomes in IM put in {@code derived}; the reason
     * it would be refused, or null. References to other kinds and IM's own verdict are not checked here.
     */
    private String refusal(String stage, CanonicalRecord record, Map<String, Object> derived, long now) {
        try {
            if (record instanceof AccountRecord a) {
                derived.put("UserID", ids.user(a.sourceId()));
            } else if (record instanceof ProfileRecord p) {
                derived.put("UserID", ids.user(p.sourceId()));
            } else if (record instanceof FriendRecord f) {
                derived.put("From_Account", ids.user(f.userId()));
                derived.put("To_Account", ids.user(f.friendId()));
                future(f.addedAt(), "added_at", now, false);
            } else if (record instanceof C2cMessageRecord m) {
                derived.put("From_Account", ids.user(m.fromId()));
                derived.put("To_Account", ids.user(m.toId()));
                future(m.sentAt(), "sent_at", now, true);
                derived.put("MsgBody", bodies.toMsgBody(m.sourceId(), m.kind(), m.body()));
            } else if (record instanceof ReadMarkRecord r) {
                derived.put("Report_Account", ids.user(r.userId()));
                derived.put("Peer_Account", ids.user(r.peerId()));
                future(r.readAt(), "read_at", now, true);
            } else if (record instanceof GroupRecord g) {
                derived.put("GroupId", "community".equals(g.type()) ? ids.communityGroup(g.sourceId()) : ids.group(g.sourceId()));
                derived.put("Type", GroupImport.imType(g.sourceId(), g.type()));
                if (g.joinPolicy() != null) {
                    derived.put("ApplyJoinOption", GroupImport.applyJoinOption(g.sourceId(), g.joinPolicy()));
                }
                if (g.ownerId() != null) {
                    derived.put("Owner_Account", ids.user(g.ownerId()));
                }
                future(g.createdAt(), "created_at", now, true);
            } else if (record instanceof GroupMemberRecord m) {
                derived.put("GroupId", ids.group(m.groupId()));
                derived.put("Member_Account", ids.user(m.userId()));
                future(m.joinedAt(), "joined_at", now, false);
            } else if (record instanceof GroupMessageRecord m) {
                derived.put("GroupId", ids.group(m.groupId()));
                derived.put("From_Account", ids.user(m.fromId()));
                future(m.sentAt(), "sent_at", now, true);
                derived.put("MsgBody", bodies.toMsgBody(m.sourceId(), m.kind(), m.body()));
            } else if (record instanceof GroupUnreadRecord u) {
                derived.put("GroupId", ids.group(u.groupId()));
                derived.put("Member_Account", ids.user(u.userId()));
                if (u.unread() == null || u.unread() < 0) {
                    throw new RejectedRecordException(u.sourceId(), "unread count " + u.unread() + " is missing or negative");
                }
            } else {
                throw new IllegalStateException("no check for stage " + stage);
            }
            return null;
        } catch (RejectedRecordException refused) {
            return refused.getMessage();
        }
    }

    /** A time IM needs in Unix seconds: milliseconds taken for seconds show up here as a far future. */
    private static void future(Long seconds, String column, long now, boolean required) {
        if (seconds == null) {
            if (required) {
                throw new RejectedRecordException(null, column + " is missing");
            }
            return;
        }
        if (seconds > now) {
            throw new RejectedRecordException(null, column + " " + seconds + " is in the future"
                    + (seconds > now * 100 ? " (milliseconds? IM takes Unix seconds: divide in SQL)" : ""));
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
