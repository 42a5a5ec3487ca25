package org.imsmooth.im.api.c2c;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Payload of admin_getroammsg. {@code Complete} 1 = the window is exhausted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdminGetRoamMsgResult(
        @JsonProperty("Complete") Integer complete,
        @JsonProperty("MsgCnt") Integer msgCnt,
        @JsonProperty("LastMsgTime") Long lastMsgTime,
        @JsonProperty("LastMsgKey") String lastMsgKey,
        @JsonProperty("MsgList") List<RoamMsg> msgList) {

    public boolean finished() {
        return complete != null && complete == 1;
    }
}
