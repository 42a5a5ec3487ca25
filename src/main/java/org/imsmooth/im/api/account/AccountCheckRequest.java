package org.imsmooth.im.api.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of account_check (2.3): at most 100 ids.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountCheckRequest(
        @JsonProperty("CheckItem") List<UserIdItem> checkItem) {

    public static AccountCheckRequest of(List<String> userIds) {
        return new AccountCheckRequest(userIds.stream().map(UserIdItem::new).toList());
    }
}
