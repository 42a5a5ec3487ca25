package org.imsmooth.im.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One failed item of a batch call whose envelope said OK: the item's id as the request named it
 * (UserID, To_Account, Member_Account, GroupId, or the message's position for import_group_msg)
 * and IM's per-item code. Not a wire type: it is derived from each API's own per-item list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ItemFailure(String itemId, int code, String info) {

    /** IM listed the item as failed without a code (FailAccounts, Fail_Account, MemberList Result 0). */
    public static final int UNKNOWN_CODE = -1;
}
