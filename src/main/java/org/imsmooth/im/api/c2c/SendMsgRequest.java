package org.imsmooth.im.api.c2c;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.imsmooth.im.api.MsgElement;

/**
 * Body of sendmsg (5.3), the live old→new path. sendmsg fires C2C callbacks; live sync must use
 * {@link #withoutCallbacks()} so the message does not echo back into the old system.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SendMsgRequest(
        @JsonProperty("SyncOtherMachine") Integer syncOtherMachine,
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("To_Account") String toAccount,
        @JsonProperty("MsgLifeTime") Integer msgLifeTime,
        @JsonProperty("MsgSeq") Long msgSeq,
        @JsonProperty("MsgRandom") Long msgRandom,
        @JsonProperty("MsgTimeStamp") Long msgTimeStamp,
        @JsonProperty("OnlineOnlyFlag") Integer onlineOnlyFlag,
        @JsonProperty("ForbidCallbackControl") List<String> forbidCallbackControl,
        @JsonProperty("SendMsgControl") List<String> sendMsgControl,
        @JsonProperty("MsgBody") List<MsgElement> msgBody,
        @JsonProperty("CloudCustomData") String cloudCustomData,
        @JsonProperty("OfflinePushInfo") Map<String,Object> offlinePushInfo,
        @JsonProperty("SupportMessageExtension") Integer supportMessageExtension,
        @JsonProperty("IsNeedReadReceipt") Integer isNeedReadReceipt) {

    public static final String FORBID_BEFORE_SEND = "ForbidBeforeSendMsgCallback";
    public static final String FORBID_AFTER_SEND = "ForbidAfterSendMsgCallback";

    /** A message synced into IM's roaming for both sides (SyncOtherMachine 1). */
    public static SendMsgRequest of(String from, String to, long msgRandom, List<MsgElement> body) {
        return new SendMsgRequest(1, from, to, null, null, msgRandom, null, null, null, null, body, null, null, null, null);
    }

    /** The same request with both send-message callbacks suppressed (reference 7.3). */
    public SendMsgRequest withoutCallbacks() {
        return new SendMsgRequest(syncOtherMachine, fromAccount, toAccount, msgLifeTime, msgSeq, msgRandom,
                msgTimeStamp, onlineOnlyFlag, List.of(FORBID_BEFORE_SEND, FORBID_AFTER_SEND), sendMsgControl, msgBody,
                cloudCustomData, offlinePushInfo, supportMessageExtension, isNeedReadReceipt);
    }
}
