package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Per-message answer of import_group_msg: Result 0 = ok, else 10004 / 80001 / 80002.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportMsgResultItem(
        @JsonProperty("MsgSeq") Long msgSeq,
        @JsonProperty("MsgTime") Long msgTime,
        @JsonProperty("Result") Integer result) {
}
