package org.imsmooth.im.api.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of multiaccount_import (2.2): either the old form {@code Accounts} (ids only) or the new
 * form {@code AccountList}, which also updates Nick/FaceUrl of existing accounts. At most 100 ids.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MultiAccountImportRequest(
        @JsonProperty("Accounts") List<String> accounts,
        @JsonProperty("AccountList") List<AccountImportRequest> accountList) {

    public static MultiAccountImportRequest ofIds(List<String> userIds) {
        return new MultiAccountImportRequest(List.copyOf(userIds), null);
    }

    public static MultiAccountImportRequest ofAccounts(List<AccountImportRequest> accounts) {
        return new MultiAccountImportRequest(null, List.copyOf(accounts));
    }
}
