package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Payload of create_group.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateGroupResult(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("Type") String type,
        @JsonProperty("HugeGroupFlag") Integer hugeGroupFlag) {
}
