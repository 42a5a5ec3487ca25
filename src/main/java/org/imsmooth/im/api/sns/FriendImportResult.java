package org.imsmooth.im.api.sns;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.BatchFailures;
import org.imsmooth.im.api.BatchResult;
import org.imsmooth.im.api.ItemFailure;

/**
 * Payload of friend_import: ResultItem plus the Fail_Account / Invalid_Account id lists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FriendImportResult(
        @JsonProperty("ResultItem") List<FriendResultItem> resultItem,
        @JsonProperty("Fail_Account") List<String> failAccount,
        @JsonProperty("Invalid_Account") List<String> invalidAccount) implements BatchResult {

    @Override
    public List<ItemFailure> failedItems() {
        return BatchFailures.collect(resultItem, FriendResultItem::toAccount, FriendResultItem::resultCode,
                FriendResultItem::resultInfo, failAccount, invalidAccount);
    }
}
