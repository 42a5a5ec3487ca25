package org.imsmooth.im.api.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.TagValue;

/**
 * Body of portrait_set (3): one user's profile items. Values are uint64 or string
 * (see {@link TagValue#of(String, long)} / {@link TagValue#of(String, String)}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PortraitSetRequest(
        @JsonProperty("From_Account") String fromAccount,
        @JsonProperty("ProfileItem") List<TagValue> profileItem) {
}
