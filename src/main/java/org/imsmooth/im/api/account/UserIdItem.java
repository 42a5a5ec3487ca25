package org.imsmooth.im.api.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One {@code {UserID}} entry of account_check's CheckItem (and account_delete's DeleteItem).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserIdItem(
        @JsonProperty("UserID") String userId) {
}
