package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.KeyValue;

/**
 * Body of create_group (6.5); fires Group.CallbackAfterCreateGroup.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateGroupRequest(
        @JsonProperty("Owner_Account") String ownerAccount,
        @JsonProperty("Type") String type,
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("Name") String name,
        @JsonProperty("Introduction") String introduction,
        @JsonProperty("Notification") String notification,
        @JsonProperty("FaceUrl") String faceUrl,
        @JsonProperty("MaxMemberCount") Integer maxMemberCount,
        @JsonProperty("ApplyJoinOption") String applyJoinOption,
        @JsonProperty("InviteJoinOption") String inviteJoinOption,
        @JsonProperty("AppDefinedData") List<KeyValue> appDefinedData,
        @JsonProperty("MemberList") List<CreateGroupMember> memberList,
        @JsonProperty("SupportTopic") Integer supportTopic) {

    public static CreateGroupRequest of(String groupId, String type, String name, String ownerAccount) {
        return new CreateGroupRequest(ownerAccount, type, groupId, name, null, null, null, null, null, null, null, null, null);
    }
}
