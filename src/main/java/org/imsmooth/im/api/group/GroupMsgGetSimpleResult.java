package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Payload of group_msg_get_simple. IsFinished 1 = the whole range came back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupMsgGetSimpleResult(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("IsFinished") Integer isFinished,
        @JsonProperty("RspMsgList") List<GroupRoamMsg> rspMsgList) {
}
