package org.imsmooth.im.api.sns;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Per-friend answer of friend_import ({@code ResultCode} 0 = ok).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FriendResultItem(
        @JsonProperty("To_Account") String toAccount,
        @JsonProperty("ResultCode") Integer resultCode,
        @JsonProperty("ResultInfo") String resultInfo) {
}
