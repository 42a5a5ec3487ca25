package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Per-member answer of import_group_member and add_group_member: Result 0 = fail, 1 = ok,
 * 2 = already a member, 3 = awaiting the invitee's confirmation (add_group_member only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberResultItem(
        @JsonProperty("Member_Account") String memberAccount,
        @JsonProperty("Result") Integer result) {

    public static final int FAILED = 0;
    public static final int OK = 1;
    public static final int ALREADY_MEMBER = 2;
    public static final int PENDING = 3;

    /** Only Result 0 is a failure: "already a member" is what a retried import should see. */
    public boolean failed() {
        return result == null || result == FAILED;
    }
}
