package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An @-mention of send_group_msg: GroupAtAllFlag 1 = @all, else GroupAt_Account.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupAtInfo(
        @JsonProperty("GroupAtAllFlag") Integer groupAtAllFlag,
        @JsonProperty("GroupAt_Account") String groupAtAccount) {
}
