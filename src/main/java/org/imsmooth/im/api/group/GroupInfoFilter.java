package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * get_group_info's ResponseFilter: only the named fields come back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupInfoFilter(
        @JsonProperty("GroupBaseInfoFilter") List<String> groupBaseInfoFilter,
        @JsonProperty("MemberInfoFilter") List<String> memberInfoFilter,
        @JsonProperty("AppDefinedDataFilter_Group") List<String> appDefinedDataFilterGroup,
        @JsonProperty("AppDefinedDataFilter_GroupMember") List<String> appDefinedDataFilterGroupMember) {
}
