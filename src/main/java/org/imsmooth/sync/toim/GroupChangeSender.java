package org.imsmooth.sync.toim;

import java.util.List;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImGroupLive;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.group.AddGroupMemberRequest;
import org.imsmooth.im.api.group.CreateGroupRequest;
import org.imsmooth.im.api.group.DeleteGroupMemberRequest;
import org.imsmooth.im.api.group.DestroyGroupRequest;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.ModifyGroupBaseInfoRequest;
import org.imsmooth.pipeline.ApiQuotas;
import org.springframework.stereotype.Component;

/**
 * A group event of the old system as IM's group management call, made as the admin (so IM's
 * callbacks name the admin as operator and the other direction skips them): created ->
 * create_group, dismissed -> destroy_group, changed -> modify_group_base_info (only the fields the
 * event carries), joined -> add_group_member, left -> delete_group_member. Each is idempotent: a
 * group already created by us, or already gone, counts as done.
 */
@Component
public class GroupChangeSender {

    static final int GROUP_ID_IN_USE = 10021;
    static final int GROUP_NOT_FOUND = 10010;

    private final ImGroupLive groups;
    private final ImIdRule ids;
    private final ChangeRouting routing;
    private final SentChanges sent;
    private final ApiQuotas quotas;
    private final ImGroupReads reads;

    public GroupChangeSender(ImGroupLive groups, ImGroupReads reads, ImIdRule ids, ChangeRouting routing, SentChanges sent,
                             ApiQuotas quotas) {
        this.groups = groups;
        this.reads = reads;
        this.ids = ids;
        this.routing = routing;
        this.sent = sent;
        this.quotas = quotas;
    }

    /** Applies the event and returns its IM id, GroupId#event#old id. */
    public String send(OldSystemChange e) {
        String groupId = "created".equals(e.event()) ? create(e) : routing.groupId(e);
        switch (e.event()) {
            case "created" -> {
                // done above: the GroupId depends on whether IM takes the id back
            }
            case "dismissed" -> {
                quotas.acquire("destroy_group");
                try {
                    groups.destroyGroup(new DestroyGroupRequest(groupId));
                } catch (ImPermanentException gone) {
                    if (gone.errorCode() != GROUP_NOT_FOUND) {
                        throw gone;
                    }
                }
                sent.groupDisbanded(e.groupId());
            }
            case "changed" -> {
                if (e.name() == null && e.introduction() == null && e.notification() == null && e.faceUrl() == null) {
                    throw new RejectedRecordException(e.sourceId(), "group change carries no new name, introduction, notification or face_url");
                }
                quotas.acquire("modify_group_base_info");
                groups.modifyGroupBaseInfo(new ModifyGroupBaseInfoRequest(groupId, e.name(), e.introduction(), e.notification(),
                        e.faceUrl(), null, null, null, null, null, null));
            }
            case "joined" -> {
                String member = ids.user(e.userId());
                quotas.acquire("add_group_member");
                List<ItemFailure> failed = groups.addGroupMember(AddGroupMemberRequest.of(groupId, List.of(member))).failedItems();
                if (!failed.isEmpty()) {
                    throw new RejectedRecordException(e.sourceId(), "IM did not add " + member + " to " + groupId + ": " + failed.get(0).info());
                }
                sent.entity(SentChanges.GROUP_MEMBER, e.groupId() + ":" + e.userId(), groupId + ":" + member, groupId);
            }
            case "left" -> {
                quotas.acquire("delete_group_member");
                groups.deleteGroupMember(new DeleteGroupMemberRequest(groupId, List.of(ids.user(e.userId())), null, null));
                sent.memberLeft(e.groupId(), e.userId());
            }
            default -> throw new RejectedRecordException(e.sourceId(), "unknown group event '" + e.event() + "'");
        }
        return groupId + "#" + e.event() + "#" + e.sourceId();
    }

    /**
     * Creates the group and returns its GroupId: the id rule's. When the old id comes back after its
     * group was disbanded under that same GroupId, and IM answers 10021 (GroupId in use) while the group
     * reads as gone (10010), IM keeps dismissed ids: the new group gets {@code <rule id>-<event id>}, one
     * per creation event (a redelivery finds its own group), which the id map then maps.
     */
    private String create(OldSystemChange e) {
        String groupId = routing.ruleGroupId(e);
        String ownerId = e.ownerId() != null ? e.ownerId() : e.userId();
        String name = e.name() != null ? e.name() : e.groupName();
        if (name == null) {
            throw new RejectedRecordException(e.sourceId(), "group created without a name (Name is required)");
        }
        boolean comeback = sent.endedGroupImId(e.groupId()).filter(groupId::equals).isPresent();
        if (!createOrOwn(e, ownerId, name, groupId)) {
            if (!comeback || exists(groupId)) {
                // created by us before a crash (the id map had not recorded it yet)
            } else {
                groupId = groupId + "-" + e.sourceId();
                if (groupId.length() > 48) {
                    throw new RejectedRecordException(e.sourceId(), "IM keeps the dismissed GroupId " + routing.ruleGroupId(e)
                            + " and " + groupId + " is longer than 48 bytes");
                }
                createOrOwn(e, ownerId, name, groupId);
            }
        }
        sent.entity(SentChanges.GROUP, e.groupId(), groupId, groupId);
        return groupId;
    }

    /** create_group; false when IM answers 10021 (the GroupId is in use). */
    private boolean createOrOwn(OldSystemChange e, String ownerId, String name, String groupId) {
        CreateGroupRequest request = new CreateGroupRequest(ownerId == null ? null : ids.user(ownerId), routing.imType(e), groupId,
                name, e.introduction(), e.notification(), e.faceUrl(), null, null, null, null, null, null);
        quotas.acquire("create_group");
        try {
            groups.createGroup(request);
            return true;
        } catch (ImPermanentException inUse) {
            if (inUse.errorCode() != GROUP_ID_IN_USE) {
                throw inUse;
            }
            return false;
        }
    }

    /** Whether IM has the group now (get_group_info lists it with code 0; a dismissed or unknown one is 10010). */
    private boolean exists(String groupId) {
        quotas.acquire("get_group_info");
        var info = reads.getGroupInfo(GetGroupInfoRequest.of(List.of(groupId))).groupInfo();
        return info != null && !info.isEmpty() && (info.get(0).errorCode() == null || info.get(0).errorCode() == 0);
    }
}
