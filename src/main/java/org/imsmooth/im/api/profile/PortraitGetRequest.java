package org.imsmooth.im.api.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of portrait_get (9.1): at most 100 ids; TagList holds standard and custom tags.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PortraitGetRequest(
        @JsonProperty("To_Account") List<String> toAccount,
        @JsonProperty("TagList") List<String> tagList) {
}
