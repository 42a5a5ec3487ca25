package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * get_joined_group_list's ResponseFilter; SelfInfoFilter UnreadMsgNum reads back imported unread counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JoinedGroupFilter(
        @JsonProperty("GroupBaseInfoFilter") List<String> groupBaseInfoFilter,
        @JsonProperty("SelfInfoFilter") List<String> selfInfoFilter) {
}
