package org.imsmooth.im.api.c2c;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.MsgElement;

/**
 * One message of admin_getroammsg's MsgList. MsgFlagBits 8 = recalled.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoamMsg(
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("To_Account") String toAccount,
        @JsonProperty("MsgSeq") Long msgSeq,
        @JsonProperty("MsgRandom") Long msgRandom,
        @JsonProperty("MsgTimeStamp") Long msgTimeStamp,
        @JsonProperty("MsgFlagBits") Integer msgFlagBits,
        @JsonProperty("IsPeerRead") Integer isPeerRead,
        @JsonProperty("MsgKey") String msgKey,
        @JsonProperty("MsgBody") List<MsgElement> msgBody,
        @JsonProperty("CloudCustomData") String cloudCustomData) {
}
