package org.imsmooth.im.api.c2c;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.MsgElement;

/**
 * Body of importmsg (5.1). SyncFromOldSystem 2 = history (no unread, no push), 5 = live during
 * the transition. IM deduplicates on (MsgSeq, MsgRandom, MsgTimeStamp) per conversation, so
 * re-sending the same record after a crash is harmless. No callbacks fire.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportMsgRequest(
        @JsonProperty("SyncFromOldSystem") Integer syncFromOldSystem,
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("To_Account") String toAccount,
        @JsonProperty("MsgSeq") Long msgSeq,
        @JsonProperty("MsgRandom") Long msgRandom,
        @JsonProperty("MsgTimeStamp") Long msgTimeStamp,
        @JsonProperty("MsgBody") List<MsgElement> msgBody,
        @JsonProperty("CloudCustomData") String cloudCustomData) {

    public static final int HISTORY = 2;
    public static final int LIVE = 5;

    public static ImportMsgRequest history(String from, String to, long msgSeq, long msgRandom, long msgTimeStamp,
                                           List<MsgElement> body) {
        return new ImportMsgRequest(HISTORY, from, to, msgSeq, msgRandom, msgTimeStamp, body, null);
    }
}
