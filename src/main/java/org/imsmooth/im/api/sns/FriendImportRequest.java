package org.imsmooth.im.api.sns;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of friend_import: one-way friendships of one user. Send one user's batches one after
 * another: concurrent writes to the same user fail with 30008.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FriendImportRequest(
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("AddFriendItem") List<AddFriendItem> addFriendItem) {
}
