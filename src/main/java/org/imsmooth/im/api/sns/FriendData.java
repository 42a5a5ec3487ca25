package org.imsmooth.im.api.sns;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.TagValue;

/**
 * One friend in friend_get's UserDataItem: Tag_SNS_IM_* and Tag_SNS_Custom_* values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FriendData(
        @JsonProperty("To_Account") String toAccount,
        @JsonProperty("ValueItem") List<TagValue> valueItem) {
}
