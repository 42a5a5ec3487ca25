package org.imsmooth.im.api.sns;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.TagValue;

/**
 * One friend of friend_import's AddFriendItem (4). AddSource is required, formatted
 * {@code AddSource_Type_XXXXXXXX}; CustomItem tags are {@code Tag_SNS_Custom_XXXX}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AddFriendItem(
        @JsonProperty("To_Account") String toAccount,
        @JsonProperty("AddSource") String addSource,
        @JsonProperty("Remark") String remark,
        @JsonProperty("RemarkTime") Long remarkTime,
        @JsonProperty("GroupName") List<String> groupName,
        @JsonProperty("AddWording") String addWording,
        @JsonProperty("AddTime") Long addTime,
        @JsonProperty("CustomItem") List<TagValue> customItem) {

    public static AddFriendItem of(String toAccount, String addSource) {
        return new AddFriendItem(toAccount, addSource, null, null, null, null, null, null);
    }
}
