package org.imsmooth.im.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A custom data entry {@code {Key, Value}}: group AppDefinedData and member AppMemberDefinedData. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyValue(
        @JsonProperty("Key") String key,
        @JsonProperty("Value") String value) {
}
