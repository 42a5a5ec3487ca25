package org.imsmooth.im.api.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Per-account answer of account_check. {@code AccountStatus} is "Imported" or "NotImported";
 * a non-zero ResultCode means IM could not check the id at all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountCheckItem(
        @JsonProperty("UserID") String userId,
        @JsonProperty("ResultCode") Integer resultCode,
        @JsonProperty("ResultInfo") String resultInfo,
        @JsonProperty("AccountStatus") String accountStatus) {

    public static final String IMPORTED = "Imported";
    public static final String NOT_IMPORTED = "NotImported";

    public boolean imported() {
        return IMPORTED.equals(accountStatus);
    }
}
