package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of import_group_member (6.2); at most 20 members by the newest doc.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportGroupMemberRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("MemberList") List<ImportGroupMember> memberList) {
}
