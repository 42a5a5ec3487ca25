package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of delete_group_member (6.8): at most 100; deleting a non-member succeeds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeleteGroupMemberRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("MemberToDel_Account") List<String> memberToDelAccount,
        @JsonProperty("Silence") Integer silence,
        @JsonProperty("Reason") String reason) {
}
