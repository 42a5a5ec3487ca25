package org.imsmooth.sandbox.handler;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.imsmooth.sandbox.domain.GroupOperations;
import org.imsmooth.sandbox.domain.GroupRules;
import org.imsmooth.sandbox.domain.ImIds;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.http.ImRequest;
import org.imsmooth.sandbox.state.AccountStore;

/** Parses the fields import_group and create_group share into a {@link GroupOperations.NewGroup}. */
final class GroupSpecs {

    private static final int BAD_PARAM = GroupRequests.BAD_PARAM;

    private GroupSpecs() {
    }

    static GroupOperations.NewGroup newGroup(ImRequest r, String type, AccountStore accounts, Long createTime, long now) {
        String name = r.requireString("Name", BAD_PARAM);
        GroupRules.name(name);
        String groupId = r.optString("GroupId", BAD_PARAM);
        if (groupId != null) {
            String problem = ImIds.groupIdProblem(groupId, type);
            if (problem != null) {
                throw new ImApiException(BAD_PARAM, problem);
            }
        }
        String intro = r.optString("Introduction", BAD_PARAM);
        String notification = r.optString("Notification", BAD_PARAM);
        String face = r.optString("FaceUrl", BAD_PARAM);
        GroupRules.baseTexts(intro, notification, face);
        String applyJoin = r.optString("ApplyJoinOption", BAD_PARAM);
        GroupRules.applyJoin(applyJoin);
        Long max = r.optLong("MaxMemberCount", BAD_PARAM);
        if (max != null && (max <= 0 || max > 100000)) {
            throw new ImApiException(BAD_PARAM, "MaxMemberCount out of range");
        }
        ArrayNode appData = r.optArray("AppDefinedData", BAD_PARAM);
        GroupRules.appDefinedData(appData, 512);
        String owner = r.optString("Owner_Account", BAD_PARAM);
        if (owner != null && !accounts.exists(owner)) {
            throw new ImApiException(10019, "Owner_Account " + owner + " does not exist");
        }
        long created = createTime == null ? now : createTime;
        if (created <= 0 || created > now) {
            throw new ImApiException(BAD_PARAM, "CreateTime must be a past Unix time");
        }
        return new GroupOperations.NewGroup(groupId, type, name, intro, notification, face, owner,
                max == null ? defaultMax(type) : max.intValue(), applyJoin == null ? "NeedPermission" : applyJoin,
                appData, created, new ArrayList<>());
    }

    static GroupOperations.NewGroup withMembers(GroupOperations.NewGroup g, List<String[]> members) {
        return new GroupOperations.NewGroup(g.groupId(), g.type(), g.name(), g.introduction(), g.notification(),
                g.faceUrl(), g.owner(), g.maxMemberNum(), g.applyJoin(), g.appData(), g.createTime(), members);
    }

    /** Default caps per type (reference section 6). */
    private static int defaultMax(String type) {
        return switch (type) {
            case "Private", "Work" -> 200;
            case "Community" -> 100000;
            case "AVChatRoom" -> 0;
            default -> 2000;
        };
    }
}
