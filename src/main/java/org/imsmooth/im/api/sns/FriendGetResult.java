package org.imsmooth.im.api.sns;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Payload of friend_get. Page on while {@code CompleteFlag == 0}, with StartIndex = NextStartIndex.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FriendGetResult(
        @JsonProperty("UserDataItem") List<FriendData> userDataItem,
        @JsonProperty("StandardSequence") Integer standardSequence,
        @JsonProperty("CustomSequence") Integer customSequence,
        @JsonProperty("FriendNum") Integer friendNum,
        @JsonProperty("CompleteFlag") Integer completeFlag,
        @JsonProperty("NextStartIndex") Integer nextStartIndex) {

    public boolean complete() {
        return completeFlag != null && completeFlag != 0;
    }
}
