package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.MsgElement;

/**
 * One message of group_msg_get_simple's RspMsgList. IsPlaceMsg 1 = a hole (deleted, expired or not
 * stored; empty MsgBody), 2 = recalled. MsgPriority is kept as sent (number or name).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupRoamMsg(
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("IsPlaceMsg") Integer isPlaceMsg,
        @JsonProperty("IsSystemMsg") Integer isSystemMsg,
        @JsonProperty("MsgBody") List<MsgElement> msgBody,
        @JsonProperty("MsgPriority") Object msgPriority,
        @JsonProperty("MsgRandom") Long msgRandom,
        @JsonProperty("MsgSeq") Long msgSeq,
        @JsonProperty("MsgTimeStamp") Long msgTimeStamp,
        @JsonProperty("MsgKey") String msgKey) {
}
