package org.imsmooth.im.api.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of account_import (2.1); also one entry of multiaccount_import's new-form AccountList.
 * Older docs spell the id {@code Identifier}; the current API and this model use {@code UserID}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountImportRequest(
        @JsonProperty("UserID") String userId,
        @JsonProperty("Nick") String nick,
        @JsonProperty("FaceUrl") String faceUrl) {

    public static AccountImportRequest of(String userId) {
        return new AccountImportRequest(userId, null, null);
    }
}
