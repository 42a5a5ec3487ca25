package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of import_group_msg (6.3): at most 7 messages. Importing resets every member's unread count,
 * so members' unread counts are set afterwards.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportGroupMsgRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("RecentContactFlag") Integer recentContactFlag,
        @JsonProperty("TopicId") String topicId,
        @JsonProperty("MsgList") List<GroupMsgItem> msgList) {
}
