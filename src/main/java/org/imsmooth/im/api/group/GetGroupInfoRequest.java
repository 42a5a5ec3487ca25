package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of get_group_info (9.4): at most 50 groups.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GetGroupInfoRequest(
        @JsonProperty("GroupIdList") List<String> groupIdList,
        @JsonProperty("ResponseFilter") GroupInfoFilter responseFilter) {

    public static GetGroupInfoRequest of(List<String> groupIds) {
        return new GetGroupInfoRequest(List.copyOf(groupIds), null);
    }
}
