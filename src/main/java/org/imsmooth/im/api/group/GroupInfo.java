package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.KeyValue;

/**
 * One group of get_group_info. ErrorCode/ErrorInfo are per group: the call can be OK while a
 * single group failed. ShutUpAllMember (old) and MuteAllMember (new) are both read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupInfo(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("ErrorCode") Integer errorCode,
        @JsonProperty("ErrorInfo") String errorInfo,
        @JsonProperty("Type") String type,
        @JsonProperty("Name") String name,
        @JsonProperty("Introduction") String introduction,
        @JsonProperty("Notification") String notification,
        @JsonProperty("FaceUrl") String faceUrl,
        @JsonProperty("Owner_Account") String ownerAccount,
        @JsonProperty("CreateTime") Long createTime,
        @JsonProperty("InfoSeq") Long infoSeq,
        @JsonProperty("LastInfoTime") Long lastInfoTime,
        @JsonProperty("LastMsgTime") Long lastMsgTime,
        @JsonProperty("NextMsgSeq") Long nextMsgSeq,
        @JsonProperty("MemberNum") Integer memberNum,
        @JsonProperty("MaxMemberNum") Integer maxMemberNum,
        @JsonProperty("ApplyJoinOption") String applyJoinOption,
        @JsonProperty("ShutUpAllMember") String shutUpAllMember,
        @JsonProperty("MuteAllMember") String muteAllMember,
        @JsonProperty("AppDefinedData") List<KeyValue> appDefinedData,
        @JsonProperty("MemberList") List<GroupMember> memberList) {
}
