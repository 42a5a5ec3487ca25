package org.imsmooth.im.api.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.BatchFailures;
import org.imsmooth.im.api.BatchResult;
import org.imsmooth.im.api.ItemFailure;

/**
 * Payload of portrait_get. Fail_Account / Invalid_Account appear in old docs only; both are optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PortraitGetResult(
        @JsonProperty("UserProfileItem") List<UserProfile> userProfileItem,
        @JsonProperty("Fail_Account") List<String> failAccount,
        @JsonProperty("Invalid_Account") List<String> invalidAccount) implements BatchResult {

    @Override
    public List<ItemFailure> failedItems() {
        return BatchFailures.collect(userProfileItem, UserProfile::toAccount, UserProfile::resultCode,
                UserProfile::resultInfo, failAccount, invalidAccount);
    }
}
