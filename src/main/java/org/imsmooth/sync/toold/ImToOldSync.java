package org.imsmooth.sync.toold;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.imsmooth.canonical.ConversationKey;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.state.IdMap;
import org.imsmooth.sync.EchoRules;
import org.imsmooth.sync.EntityLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The IM → old system steps the route {@code routes/sync-im-to-old.camel.yaml} calls: the echo check
 * ({@link #isFresh}) and the write ({@link #write}): old ids for IM ids, the configured writes, the id
 * map (origin "im") and the sync latency, from the event's own time to the old system's commit.
 */
@Component("imToOldSync")
public class ImToOldSync {

    private static final Logger LOG = LoggerFactory.getLogger("sync.im-to-old");
    static final String DIRECTION = "im-to-old";
    private static final Map<String, String> GROUP_KINDS = Map.of("Public", "public", "Private", "private", "Work", "private",
            "ChatRoom", "chatroom", "Meeting", "chatroom", "Community", "community", "AVChatRoom", "live");

    private final EchoRules echo;
    private final IdMap idMap;
    private final OldIds oldIds;
    private final OldSystemWriter writer;
    private final OutageRetry retry;
    private final MeterRegistry metrics;
    private final EntityLifecycle lifecycle;
    private final Map<String, Counter> skips = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<ImEventKind, Timer> latency = new java.util.EnumMap<>(ImEventKind.class);

    public ImToOldSync(EchoRules echo, IdMap idMap, OldIds oldIds, OldSystemWriter writer, OutageRetry retry, MeterRegistry metrics,
                       EntityLifecycle lifecycle) {
        this.echo = echo;
        this.idMap = idMap;
        this.oldIds = oldIds;
        this.writer = writer;
        this.retry = retry;
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        // writes held back by an old-system outage right now: an operator's "the old system is down" signal
        Gauge.builder("imsmooth.sync.waiting", retry, OutageRetry::waiting).tag("direction", DIRECTION)
                .description("Writes waiting for the old system to come back").register(metrics);
        for (ImEventKind kind : ImEventKind.values()) {
            latency.put(kind, Timer.builder("imsmooth.sync.latency").tag("direction", DIRECTION).tag("kind", kind.label())
                    .description("From the event's own time to its commit on the other side")
                    .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(10)).distributionStatisticBufferLength(2)
                    .register(metrics));
        }
    }

    /** False for the service's own echoes and undelivered messages (counted in imsmooth.sync.skipped). */
    public boolean isFresh(ImEvent event) {
        String reason = echoReason(event);
        if (reason == null) {
            return true;
        }
        skips.computeIfAbsent(reason, r -> Counter.builder("imsmooth.sync.skipped").tag("direction", DIRECTION).tag("reason", r)
                .description("IM events not written into the old system, by reason").register(metrics)).increment();
        LOG.debug("skipped {} {}: {}", event.kind().label(), event.imRef(), reason);
        return false;
    }

    private String echoReason(ImEvent event) {
        if (!event.delivered()) {
            return "not-delivered";
        }
        if (echo.carriesOldOrigin(event.cloudCustomData())) {
            return "origin-marker";
        }
        if (event.kind().isGroupEvent() && echo.isServiceOperator(event.operator())) {
            return "admin-operator";
        }
        String kind = idMapKind(event.kind());
        if (kind != null && idMap.originOf(kind, event.imRef()).filter(EchoRules.ORIGIN_OLD::equals).isPresent()) {
            return "id-map-origin-old";
        }
        return null;
    }

    /** Writes the event into the old system; waits while the old system is unreachable. */
    public void write(ImEvent event) {
        List<OldSystemWrite> writes = writesOf(event);
        OldSystemWriter.Outcome outcome = retry.run(event.kind().label() + " " + event.imRef(),
                () -> writer.write(event.imRef(), writes));
        long committedAt = System.currentTimeMillis();
        record(event, writes, outcome);
        latency.get(event.kind()).record(Duration.ofMillis(Math.max(0, committedAt - event.happenedAtMs())));
        LOG.debug("{} {} {} in the old system", event.kind().label(), event.imRef(), outcome.alreadyWritten() ? "was already" : "written");
    }

    private void record(ImEvent event, List<OldSystemWrite> writes, OldSystemWriter.Outcome outcome) {
        ended(event, writes);
        String kind = idMapKind(event.kind());
        if (kind == null || outcome.oldId() == null || writes.isEmpty()) {
            return;
        }
        Map<String, Object> p = writes.get(0).params();
        String conversation = event.kind() == ImEventKind.C2C_MESSAGE
                ? ConversationKey.of(String.valueOf(p.get("sender_id")), String.valueOf(p.get("receiver_id")))
                : String.valueOf(p.get("group_id"));
        // insert only: the usual case is a new entity; on a redelivery the row is there already
        if (!idMap.reserve(kind, String.valueOf(outcome.oldId()), event.imRef(), EchoRules.ORIGIN_IM, conversation)
                && idMap.oldIdOf(kind, event.imRef()).isEmpty()) {
            idMap.recordDone(kind, String.valueOf(outcome.oldId()), event.imRef(), EchoRules.ORIGIN_IM, conversation, null);
        }
    }

    /**
     * A group disbanded or members gone in IM end their id map rows, so the old id of the group may come
     * back as a new group (the old app's next room, MAX(id)+1) instead of being taken for the old one.
     */
    private void ended(ImEvent event, List<OldSystemWrite> writes) {
        if (event.kind() == ImEventKind.GROUP_DESTROYED && !writes.isEmpty()) {
            lifecycle.groupDisbanded(String.valueOf(writes.get(0).params().get("group_id")));
        } else if (event.kind() == ImEventKind.MEMBERS_LEFT) {
            for (OldSystemWrite w : writes) {
                lifecycle.memberLeft(String.valueOf(w.params().get("group_id")), String.valueOf(w.params().get("user_id")));
            }
        }
    }

    private List<OldSystemWrite> writesOf(ImEvent e) {
        String ref = e.imRef();
        Timestamp at = Timestamp.from(Instant.ofEpochMilli(e.happenedAtMs()));
        List<OldSystemWrite> writes = new ArrayList<>();
        switch (e.kind()) {
            case C2C_MESSAGE -> writes.add(write("c2c-message", "id", null, "sender_id", oldIds.user(e.from(), ref),
                    "receiver_id", oldIds.user(e.to(), ref), "kind", e.msgKind(), "body", e.msgBody(), "sent_at", at, "im_ref", ref));
            case GROUP_MESSAGE -> writes.add(write("group-message", "id", null, "group_id", oldIds.requireGroup(e.groupId(), ref),
                    "sender_id", oldIds.user(e.from(), ref), "kind", e.msgKind(), "body", e.msgBody(), "sent_at", at, "im_ref", ref));
            case GROUP_CREATED -> {
                Object group = groupOfCreated(e);
                Object owner = e.owner() == null ? null : oldIds.user(e.owner(), ref);
                writes.add(write("group-created", "group_id", group, "name", e.name(),
                        "kind", GROUP_KINDS.getOrDefault(e.groupType(), String.valueOf(e.groupType()).toLowerCase(Locale.ROOT)),
                        "owner_id", owner, "introduction", e.introduction(), "notification", e.notification(),
                        "avatar_url", e.faceUrl(), "created_at", at, "im_ref", ref));
                Set<String> members = new LinkedHashSet<>();
                if (e.owner() != null) {
                    members.add(e.owner());
                }
                members.addAll(e.members());
                for (String member : members) {
                    writes.add(write("member-joined", "group_id", group, "user_id", oldIds.user(member, ref),
                            "role", member.equals(e.owner()) ? "owner" : "member", "joined_at", at));
                }
            }
            case GROUP_DESTROYED -> writes.add(write("group-destroyed", "group_id", oldIds.requireGroup(e.groupId(), ref),
                    "happened_at", at));
            case GROUP_CHANGED -> writes.add(write("group-changed", "group_id", oldIds.requireGroup(e.groupId(), ref),
                    "name", e.name(), "introduction", e.introduction(), "notification", e.notification(), "avatar_url", e.faceUrl(),
                    "happened_at", at));
            case MEMBERS_JOINED, MEMBERS_LEFT -> {
                Object group = oldIds.requireGroup(e.groupId(), ref);
                boolean joined = e.kind() == ImEventKind.MEMBERS_JOINED;
                for (String member : e.members()) {
                    writes.add(joined
                            ? write("member-joined", "group_id", group, "user_id", oldIds.user(member, ref), "role", "member", "joined_at", at)
                            : write("member-left", "group_id", group, "user_id", oldIds.user(member, ref), "happened_at", at));
                }
            }
        }
        return writes;
    }

    /**
     * A group created in IM under a GroupId outside the id rule (IM's own @TGS# ids, App 2.0 custom ids)
     * gets the old system's next free id, claimed in the id map before the write, so a redelivered
     * event finds the same old id and a concurrent creation draws another.
     */
    private Object groupOfCreated(ImEvent e) {
        Optional<Object> known = oldIds.group(e.groupId());
        if (known.isPresent()) {
            return known.get();
        }
        Object candidate = retry.run("next old group id for " + e.groupId(), () -> writer.nextId("group-created"));
        if (!(candidate instanceof Number number)) {
            throw new RejectedRecordException(e.imRef(), "GroupId '" + e.groupId() + "' is outside the id rule and "
                    + "sync.im-to-old.jdbc.group-created.next-id gives no numeric old id");
        }
        long id = number.longValue();
        for (int attempt = 0; attempt < 1000; attempt++, id++) {
            if (idMap.reserve(OldIds.GROUP, Long.toString(id), e.groupId(), EchoRules.ORIGIN_IM, e.groupId())) {
                return id;
            }
            Optional<Object> raced = oldIds.group(e.groupId());
            if (raced.isPresent()) {
                return raced.get();
            }
        }
        throw new IllegalStateException("no free old group id found after 1000 attempts from " + candidate);
    }

    private static String idMapKind(ImEventKind kind) {
        return switch (kind) {
            case C2C_MESSAGE -> "c2c_message";
            case GROUP_MESSAGE -> "group_message";
            case GROUP_CREATED -> OldIds.GROUP;
            default -> null;
        };
    }

    private static OldSystemWrite write(String kind, Object... pairs) {
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put((String) pairs[i], pairs[i + 1]);
        }
        return new OldSystemWrite(kind, params);
    }
}
