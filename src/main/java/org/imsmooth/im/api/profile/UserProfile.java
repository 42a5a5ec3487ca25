package org.imsmooth.im.api.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.TagValue;

/**
 * One user's answer in portrait_get's {@code UserProfileItem}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserProfile(
        @JsonProperty("To_Account") String toAccount,
        @JsonProperty("ProfileItem") List<TagValue> profileItem,
        @JsonProperty("ResultCode") Integer resultCode,
        @JsonProperty("ResultInfo") String resultInfo) {
}
