package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.KeyValue;

/**
 * One initial member of create_group's MemberList.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateGroupMember(
        @JsonProperty("Member_Account") String memberAccount,
        @JsonProperty("Role") String role,
        @JsonProperty("AppMemberDefinedData") List<KeyValue> appMemberDefinedData) {
}
