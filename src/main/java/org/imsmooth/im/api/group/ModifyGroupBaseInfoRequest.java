package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.KeyValue;

/**
 * Body of modify_group_base_info (6.6): only non-null fields change. MuteAllMember is "On"/"Off";
 * From_Account records the operator (default the admin).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModifyGroupBaseInfoRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("Name") String name,
        @JsonProperty("Introduction") String introduction,
        @JsonProperty("Notification") String notification,
        @JsonProperty("FaceUrl") String faceUrl,
        @JsonProperty("MaxMemberNum") Integer maxMemberNum,
        @JsonProperty("ApplyJoinOption") String applyJoinOption,
        @JsonProperty("MuteAllMember") String muteAllMember,
        @JsonProperty("InviteJoinOption") String inviteJoinOption,
        @JsonProperty("AppDefinedData") List<KeyValue> appDefinedData,
        @JsonProperty("From_Account") String fromAccount) {
}
