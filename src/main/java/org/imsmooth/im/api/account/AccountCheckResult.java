package org.imsmooth.im.api.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.BatchResult;
import org.imsmooth.im.api.ItemFailure;

/**
 * Payload of account_check.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountCheckResult(
        @JsonProperty("ResultItem") List<AccountCheckItem> resultItem) implements BatchResult {

    /** Ids that were checked successfully and are not in IM. */
    public List<String> notImported() {
        if (resultItem == null) {
            return List.of();
        }
        return resultItem.stream()
                .filter(i -> (i.resultCode() == null || i.resultCode() == 0) && !i.imported())
                .map(AccountCheckItem::userId)
                .toList();
    }

    @Override
    public List<ItemFailure> failedItems() {
        if (resultItem == null) {
            return List.of();
        }
        return resultItem.stream()
                .filter(i -> i.resultCode() != null && i.resultCode() != 0)
                .map(i -> new ItemFailure(i.userId(), i.resultCode(), i.resultInfo()))
                .toList();
    }
}
