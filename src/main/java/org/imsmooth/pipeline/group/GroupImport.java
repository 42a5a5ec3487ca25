package org.imsmooth.pipeline.group;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.type.TypeReference;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.CallFanOut;
import org.imsmooth.canonical.GroupRecord;
import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImGroupImport;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.api.KeyValue;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GroupInfo;
import org.imsmooth.im.api.group.GroupType;
import org.imsmooth.im.api.group.ImportGroupRequest;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.RecordOutcomes;
import org.imsmooth.pipeline.TextLimits;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.apache.camel.Header;
import org.imsmooth.pipeline.WorkDelivery;
import org.imsmooth.pipeline.failure.DeadLetterPolicy;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Imports groups with {@code import_group}, one call per group (the API has no batch form). Everything
 * IM would refuse is rejected before the call: live groups (AVChatRoom, 10007), unknown owners, creation
 * times in the future, texts over IM's byte limits when truncation is off. A 10021 "GroupId in use" on a
 * re-run after a crash is ours when owner and type match, and is then recorded done.
 */
@Component("groupImport")
public class GroupImport {

    static final String KIND = "groups";
    static final int GROUP_ID_IN_USE = 10021;
    /** Old-system group types -> IM types (live sync creates groups with the same rule). */
    public static final Map<String, String> TYPES = Map.of("public", GroupType.PUBLIC, "private", GroupType.PRIVATE,
            "chatroom", GroupType.CHAT_ROOM, "community", GroupType.COMMUNITY);
    private static final Map<String, String> JOIN_OPTIONS = Map.of("free", "FreeAccess", "approval", "NeedPermission",
            "closed", "DisableApply");

    /** A request ready to send, with the truncations it needed. */
    private record Prepared(GroupRecord record, ImportGroupRequest request, List<String> notes) {
    }

    private final ImGroupImport groupImport;
    private final ImGroupReads groupReads;
    private final ImIdRule ids;
    private final GroupReferences references;
    private final TextLimits textLimits;
    private final ImportMode mode;
    private final StageLedger<GroupRecord> ledger;
    private final ApiQuotas quotas;
    private final CallFanOut fanOut;

    public GroupImport(ImGroupImport groupImport, ImGroupReads groupReads, ImIdRule ids, GroupReferences references,
                       TextLimits textLimits, IdMap idMap, StageProgress progress, ImportMode mode, ApiQuotas quotas,
                       RecordOutcomes outcomes, CallFanOut fanOut) {
        this.quotas = quotas;
        this.fanOut = fanOut;
        this.groupImport = groupImport;
        this.groupReads = groupReads;
        this.ids = ids;
        this.references = references;
        this.textLimits = textLimits;
        this.mode = mode;
        this.ledger = new StageLedger<>(KIND, new TypeReference<>() { }, idMap, progress, mode, outcomes);
    }

    /** Reader side: one old-system row as a canonical record. */
    public GroupRecord toRecord(Map<String, Object> row) {
        return GroupRecord.fromRow(row);
    }

    /** Worker side: imports a batch (JSON array of groups) and returns the groups to dead-letter. */
    public List<DeadLetterItem> importBatch(byte[] batchJson, @Header("JMSMessageID") String messageId,
                                          @Header(DeadLetterPolicy.BATCH_ID) String batchId) {
        // the message's outcome writes are committed together, and awaited once (OutcomeBatch)
        return ledger.inBatch(new WorkDelivery(messageId, batchId), () -> importRecords(batchJson));
    }

    private List<DeadLetterItem> importRecords(byte[] batchJson) {
        List<GroupRecord> batch = ledger.notDone(batchJson);
        Map<String, String> owners = references.accounts(batch.stream().map(GroupRecord::ownerId).toList());
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        List<Prepared> ready = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        for (GroupRecord group : batch) {
            try {
                ready.add(prepare(group, owners, now));
            } catch (RejectedRecordException invalid) {
                deadLetters.add(ledger.reject(group, invalid));
            }
        }
        if (mode.dryRun()) {
            // the dry run's later stages (members, history) know the groups the real run would import
            ledger.validated(ready.stream()
                    .map(p -> new RecordOutcomes.Done(p.record().sourceId(), p.request().groupId(), null, null)).toList());
            ledger.truncated((int) ready.stream().filter(p -> !p.notes().isEmpty()).count());
            return deadLetters;
        }
        // one call per group, independent of each other: made side by side
        deadLetters.addAll(fanOut.each(KIND, ready, this::importOne));
        return deadLetters;
    }

    private List<DeadLetterItem> importOne(Prepared p) {
        try {
            quotas.acquire("import_group");
            groupImport.importGroup(p.request());
            done(p, null);
        } catch (ImPermanentException e) {
            if (e.errorCode() == GROUP_ID_IN_USE && isOurs(p.request())) {
                done(p, "already in IM (10021, imported before a restart): owner and type match");
            } else {
                return List.of(ledger.reject(p.record(), e.errorCode(), e.getMessage()));
            }
        }
        // a retryable failure propagates: the batch is redelivered; groups already done are skipped then
        return List.of();
    }

    /** IM's Type of a canonical group type; live (AVChatRoom) and unknown types are refused (also by the mapping check). */
    public static String imType(String id, String canonicalType) {
        if ("live".equals(canonicalType)) {
            throw new RejectedRecordException(id, "live group = AVChatRoom, which IM refuses to import (10007): "
                    + "live rooms keep no history; create it with create_group after the migration instead");
        }
        String type = TYPES.get(canonicalType);
        if (type == null) {
            throw new RejectedRecordException(id, "unknown group type '" + canonicalType + "' (known: " + TYPES.keySet() + ", live)");
        }
        return type;
    }

    /** IM's ApplyJoinOption of a canonical join_policy (null: IM's default); an unknown policy is refused. */
    public static String applyJoinOption(String id, String joinPolicy) {
        if (joinPolicy == null) {
            return null;
        }
        String option = JOIN_OPTIONS.get(joinPolicy);
        if (option == null) {
            throw new RejectedRecordException(id, "unknown join_policy '" + joinPolicy + "' (known: " + JOIN_OPTIONS.keySet() + ")");
        }
        return option;
    }

    private Prepared prepare(GroupRecord g, Map<String, String> owners, long now) {
        String id = g.sourceId();
        String groupId = "community".equals(g.type()) ? ids.communityGroup(id) : ids.group(id);
        String type = imType(id, g.type());
        String owner = null;
        if (g.ownerId() != null) {
            owner = owners.get(g.ownerId());
            if (owner == null) {
                throw references.unknownUser(id, "owner", g.ownerId());
            }
        }
        if (g.createdAt() == null || g.createdAt() >= now) {
            throw new RejectedRecordException(id, "group created_at " + g.createdAt() + " is missing or in the future");
        }
        if (g.name() == null) {
            throw new RejectedRecordException(id, "group has no name (Name is required)");
        }
        String applyJoin = applyJoinOption(id, g.joinPolicy());
        List<String> notes = new ArrayList<>();
        String name = fit(id, "Name", g.name(), 30, notes);
        String intro = fit(id, "Introduction", g.introduction(), 240, notes);
        String notification = fit(id, "Notification", g.notification(), 300, notes);
        String face = fit(id, "FaceUrl", g.faceUrl(), 100, notes);
        List<KeyValue> appData = g.appDefinedData() == null ? null
                : g.appDefinedData().entrySet().stream().map(e -> new KeyValue(e.getKey(), e.getValue())).toList();
        Integer max = g.maxMembers() != null && g.maxMembers() > 0 ? g.maxMembers() : null;
        return new Prepared(g, new ImportGroupRequest(owner, type, groupId, name, intro, notification, face, max, applyJoin,
                appData, g.createdAt(), null), notes);
    }

    private String fit(String sourceId, String field, String value, int maxBytes, List<String> notes) {
        TextLimits.Fitted fitted = textLimits.fit(sourceId, field, value, maxBytes);
        if (fitted.truncated()) {
            notes.add(fitted.note());
        }
        return fitted.value();
    }

    private void done(Prepared p, String note) {
        List<String> details = new ArrayList<>(p.notes());
        if (note != null) {
            details.add(note);
        }
        // a truncation note comes first, so the ledger counts the group as truncated (RecordOutcomes.Done#truncated)
        ledger.done(p.record(), p.request().groupId(), p.request().groupId(), details.isEmpty() ? null : String.join("; ", details));
    }

    /** A GroupId in use is ours when IM holds it with the owner and type we would have given it. */
    private boolean isOurs(ImportGroupRequest request) {
        quotas.acquire("get_group_info");
        List<GroupInfo> info = groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of(request.groupId()))).groupInfo();
        return info != null && info.size() == 1
                && (info.get(0).errorCode() == null || info.get(0).errorCode() == 0)
                && Objects.equals(info.get(0).ownerAccount(), request.ownerAccount())
                && Objects.equals(info.get(0).type(), request.type());
    }
}
