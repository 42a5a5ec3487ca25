package org.imsmooth.im.api.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.BatchResult;
import org.imsmooth.im.api.ItemFailure;

/**
 * Payload of multiaccount_import: the ids IM could not import. IM gives no per-id code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MultiAccountImportResult(
        @JsonProperty("FailAccounts") List<String> failAccounts) implements BatchResult {

    @Override
    public List<ItemFailure> failedItems() {
        if (failAccounts == null) {
            return List.of();
        }
        return failAccounts.stream()
                .map(id -> new ItemFailure(id, ItemFailure.UNKNOWN_CODE, "in FailAccounts"))
                .toList();
    }
}
