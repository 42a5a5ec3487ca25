package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Payload of get_joined_group_list: TotalCount ignores Limit/Offset.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GetJoinedGroupListResult(
        @JsonProperty("TotalCount") Integer totalCount,
        @JsonProperty("GroupIdList") List<JoinedGroup> groupIdList) {
}
