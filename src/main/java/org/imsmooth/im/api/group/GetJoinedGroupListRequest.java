package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of get_joined_group_list (9.7). Freshly imported groups without messages are left out
 * unless WithNoActiveGroups = 1.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GetJoinedGroupListRequest(
        @JsonProperty("Member_Account") String memberAccount,
        @JsonProperty("Limit") Integer limit,
        @JsonProperty("Offset") Integer offset,
        @JsonProperty("GroupType") String groupType,
        @JsonProperty("WithHugeGroups") Integer withHugeGroups,
        @JsonProperty("WithNoActiveGroups") Integer withNoActiveGroups,
        @JsonProperty("ResponseFilter") JoinedGroupFilter responseFilter,
        @JsonProperty("SupportTopic") Integer supportTopic) {

    /** All of a member's groups, including not-yet-active ones, with their unread counts. */
    public static GetJoinedGroupListRequest withUnread(String memberAccount) {
        return new GetJoinedGroupListRequest(memberAccount, null, null, null, null, 1,
                new JoinedGroupFilter(null, List.of("Role", "JoinTime", "MsgFlag", "UnreadMsgNum")), null);
    }
}
