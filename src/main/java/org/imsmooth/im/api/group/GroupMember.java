package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.KeyValue;

/**
 * A member as get_group_info and get_group_member_info return it. The mute field is ShutUpUntil in
 * old docs and MuteUntil in newer SDKs: both are read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupMember(
        @JsonProperty("Member_Account") String memberAccount,
        @JsonProperty("Role") String role,
        @JsonProperty("JoinTime") Long joinTime,
        @JsonProperty("MsgSeq") Long msgSeq,
        @JsonProperty("MsgFlag") String msgFlag,
        @JsonProperty("LastSendMsgTime") Long lastSendMsgTime,
        @JsonProperty("ShutUpUntil") Long shutUpUntil,
        @JsonProperty("MuteUntil") Long muteUntil,
        @JsonProperty("NameCard") String nameCard,
        @JsonProperty("AppMemberDefinedData") List<KeyValue> appMemberDefinedData) {
}
