package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of group_msg_get_simple (9.6): at most 20 per call; ReqMsgSeq returns seq <= it (omit for
 * the newest), next page = smallest returned seq - 1.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupMsgGetSimpleRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("ReqMsgNumber") Integer reqMsgNumber,
        @JsonProperty("ReqMsgSeq") Long reqMsgSeq,
        @JsonProperty("WithRecalledMsg") Integer withRecalledMsg,
        @JsonProperty("TopicId") String topicId) {
}
