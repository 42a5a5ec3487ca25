package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.BatchFailures;
import org.imsmooth.im.api.BatchResult;
import org.imsmooth.im.api.ItemFailure;

/**
 * Payload of get_group_info.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GetGroupInfoResult(
        @JsonProperty("GroupInfo") List<GroupInfo> groupInfo) implements BatchResult {

    @Override
    public List<ItemFailure> failedItems() {
        return BatchFailures.collect(groupInfo, GroupInfo::groupId, GroupInfo::errorCode, GroupInfo::errorInfo);
    }
}
