package org.imsmooth.im.api.sns;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of friend_get (9.2), paged by StartIndex. Send both sequences as 0 (or null) so IM returns
 * every field: an equal sequence makes IM omit that class of data.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FriendGetRequest(
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("StartIndex") Integer startIndex,
        @JsonProperty("StandardSequence") Integer standardSequence,
        @JsonProperty("CustomSequence") Integer customSequence) {

    public static FriendGetRequest page(String fromAccount, int startIndex) {
        return new FriendGetRequest(fromAccount, startIndex, 0, 0);
    }
}
