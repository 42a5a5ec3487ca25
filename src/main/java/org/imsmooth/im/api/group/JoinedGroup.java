package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One group of get_joined_group_list's GroupIdList (base fields only when filtered for).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JoinedGroup(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("Type") String type,
        @JsonProperty("Name") String name,
        @JsonProperty("Owner_Account") String ownerAccount,
        @JsonProperty("CreateTime") Long createTime,
        @JsonProperty("MemberNum") Integer memberNum,
        @JsonProperty("NextMsgSeq") Long nextMsgSeq,
        @JsonProperty("SelfInfo") SelfInfo selfInfo) {
}
