package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.MsgElement;

/**
 * One message of import_group_msg's MsgList. SendTime must ascend within the call and exceed the
 * group's newest message; the same Random within 5 minutes is dropped as a duplicate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupMsgItem(
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("SendTime") Long sendTime,
        @JsonProperty("Random") Long random,
        @JsonProperty("MsgBody") List<MsgElement> msgBody) {
}
