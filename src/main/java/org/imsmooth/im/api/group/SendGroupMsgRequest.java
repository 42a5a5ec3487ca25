package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.imsmooth.im.api.MsgElement;

/**
 * Body of send_group_msg (6.9). It fires group callbacks; live sync uses {@link #withoutCallbacks()}
 * so the message does not echo back into the old system.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SendGroupMsgRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("Random") Long random,
        @JsonProperty("MsgBody") List<MsgElement> msgBody,
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("MsgPriority") String msgPriority,
        @JsonProperty("OfflinePushInfo") Map<String,Object> offlinePushInfo,
        @JsonProperty("ForbidCallbackControl") List<String> forbidCallbackControl,
        @JsonProperty("OnlineOnlyFlag") Integer onlineOnlyFlag,
        @JsonProperty("SendMsgControl") List<String> sendMsgControl,
        @JsonProperty("CloudCustomData") String cloudCustomData,
        @JsonProperty("TopicId") String topicId,
        @JsonProperty("GroupAtInfo") List<GroupAtInfo> groupAtInfo) {

    public static SendGroupMsgRequest of(String groupId, String from, long random, List<MsgElement> body) {
        return new SendGroupMsgRequest(groupId, random, body, from, null, null, null, null, null, null, null, null);
    }

    /** The same request with both send-message callbacks suppressed (reference 7.3). */
    public SendGroupMsgRequest withoutCallbacks() {
        return new SendGroupMsgRequest(groupId, random, msgBody, fromAccount, msgPriority, offlinePushInfo,
                List.of("ForbidBeforeSendMsgCallback", "ForbidAfterSendMsgCallback"), onlineOnlyFlag, sendMsgControl,
                cloudCustomData, topicId, groupAtInfo);
    }
}
