package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.imsmooth.im.api.BatchResult;
import org.imsmooth.im.api.ItemFailure;

/**
 * Payload of import_group_msg. ImportMsgResult follows MsgList order and messages carry no id of
 * their own, so a failed item's id is its position in the request's MsgList ("0".."6").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportGroupMsgResult(
        @JsonProperty("ImportMsgResult") List<ImportMsgResultItem> importMsgResult) implements BatchResult {

    @Override
    public List<ItemFailure> failedItems() {
        if (importMsgResult == null) {
            return List.of();
        }
        List<ItemFailure> out = new ArrayList<>();
        for (int i = 0; i < importMsgResult.size(); i++) {
            ImportMsgResultItem r = importMsgResult.get(i);
            if (r.result() != null && r.result() != 0) {
                out.add(new ItemFailure(String.valueOf(i), r.result(), "MsgTime " + r.msgTime()));
            }
        }
        return List.copyOf(out);
    }
}
