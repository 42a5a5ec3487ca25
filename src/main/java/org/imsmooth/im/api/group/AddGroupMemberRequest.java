package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of add_group_member (6.7): Silence 1 notifies no one; at most 20 members by the newest doc.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AddGroupMemberRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("Silence") Integer silence,
        @JsonProperty("MemberList") List<MemberAccount> memberList) {

    public static AddGroupMemberRequest of(String groupId, List<String> members) {
        return new AddGroupMemberRequest(groupId, null, members.stream().map(MemberAccount::new).toList());
    }
}
