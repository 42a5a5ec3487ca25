package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.BatchResult;
import org.imsmooth.im.api.ItemFailure;

/**
 * Payload of import_group_member and add_group_member.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberListResult(
        @JsonProperty("MemberList") List<MemberResultItem> memberList) implements BatchResult {

    @Override
    public List<ItemFailure> failedItems() {
        if (memberList == null) {
            return List.of();
        }
        return memberList.stream()
                .filter(MemberResultItem::failed)
                .map(m -> new ItemFailure(m.memberAccount(), ItemFailure.UNKNOWN_CODE, "Result " + m.result()))
                .toList();
    }
}
