package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.imsmooth.im.api.KeyValue;

/**
 * Body of import_group (6.1). It takes no member list: the owner joins automatically, everyone
 * else goes through import_group_member. No callbacks or notifications fire.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportGroupRequest(
        @JsonProperty("Owner_Account") String ownerAccount,
        @JsonProperty("Type") String type,
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("Name") String name,
        @JsonProperty("Introduction") String introduction,
        @JsonProperty("Notification") String notification,
        @JsonProperty("FaceUrl") String faceUrl,
        @JsonProperty("MaxMemberCount") Integer maxMemberCount,
        @JsonProperty("ApplyJoinOption") String applyJoinOption,
        @JsonProperty("AppDefinedData") List<KeyValue> appDefinedData,
        @JsonProperty("CreateTime") Long createTime,
        @JsonProperty("SupportTopic") Integer supportTopic) {

    public static ImportGroupRequest of(String groupId, String type, String name, String ownerAccount, Long createTime) {
        return new ImportGroupRequest(ownerAccount, type, groupId, name, null, null, null, null, null, null, createTime, null);
    }
}
