package org.imsmooth.sandbox.handler;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.imsmooth.sandbox.http.ImApiArea;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.http.ImApiHandler;
import org.imsmooth.sandbox.http.ImReply;
import org.imsmooth.sandbox.http.ImRequest;
import org.imsmooth.sandbox.state.AccountStore;
import org.imsmooth.sandbox.state.FriendStore;
import org.imsmooth.sandbox.state.FriendStore.Friend;
import org.springframework.stereotype.Component;

/** friend_import and friend_get (reference sections 4 and 9.2). */
@Component
@ConditionalOnSandbox
public class SnsApis implements ImApiArea {

    private static final int BAD_PARAM = 30001;
    private static final Pattern ADD_SOURCE = Pattern.compile("AddSource_Type_[A-Za-z0-9_]{1,8}");
    private static final Pattern CUSTOM_TAG = Pattern.compile("Tag_SNS_Custom_[A-Za-z0-9_]{1,8}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountStore accounts;
    private final FriendStore friends;
    private final SandboxProperties.Limits limits;

    public SnsApis(AccountStore accounts, FriendStore friends, SandboxProperties props) {
        this.accounts = accounts;
        this.friends = friends;
        this.limits = props.getLimits();
    }

    @Override
    public Map<ImApi, ImApiHandler> handlers() {
        return Map.of(ImApi.FRIEND_IMPORT, this::friendImport, ImApi.FRIEND_GET, this::friendGet);
    }

    ObjectNode friendImport(ImRequest r) {
        String from = r.requireString("From_Account", BAD_PARAM);
        ArrayNode items = r.requireArray("AddFriendItem", BAD_PARAM);
        if (items.isEmpty() || items.size() > limits.getFriendImportBatch()) {
            throw new ImApiException(BAD_PARAM, "AddFriendItem must hold 1.." + limits.getFriendImportBatch() + " items");
        }
        if (!accounts.exists(from)) {
            throw new ImApiException(30003, "account " + from + " not found");
        }
        ObjectNode out = ImReply.ok();
        ArrayNode results = out.putArray("ResultItem");
        ArrayNode failAccounts = JsonArrays.empty();
        ArrayNode invalidAccounts = JsonArrays.empty();
        long now = System.currentTimeMillis() / 1000;
        for (JsonNode it : items) {
            String to = it.isObject() ? ImRequest.string(it, "To_Account", BAD_PARAM) : null;
            if (to == null) {
                throw new ImApiException(BAD_PARAM, "AddFriendItem entries need To_Account");
            }
            ObjectNode res = results.addObject().put("To_Account", to);
            if (!accounts.exists(to) || to.equals(from)) {
                // The peer is not an imported account: the documented per-item "invalid account" outcome.
                res.put("ResultCode", 30003).put("ResultInfo", "Err_SNS_FriendImport_Invalid_Account");
                invalidAccounts.add(to);
                continue;
            }
            String problem = itemProblem(it);
            if (problem != null) {
                res.put("ResultCode", BAD_PARAM).put("ResultInfo", problem);
                failAccounts.add(to);
                continue;
            }
            Long addTime = ImRequest.integer(it, "AddTime", BAD_PARAM);
            friends.upsert(from, new Friend(to, it.get("AddSource").asText(), ImRequest.string(it, "Remark", BAD_PARAM),
                    it.has("GroupName") ? it.get("GroupName").toString() : null, addTime == null ? now : addTime,
                    ImRequest.string(it, "AddWording", BAD_PARAM),
                    it.has("CustomItem") ? it.get("CustomItem").toString() : null));
            res.put("ResultCode", 0).put("ResultInfo", "");
        }
        if (!failAccounts.isEmpty()) {
            out.set("Fail_Account", failAccounts);
        }
        if (!invalidAccounts.isEmpty()) {
            out.set("Invalid_Account", invalidAccounts);
        }
        return out;
    }

    private static String itemProblem(JsonNode it) {
        JsonNode src = it.get("AddSource");
        if (src == null || !src.isTextual() || !ADD_SOURCE.matcher(src.asText()).matches()) {
            return "AddSource must look like AddSource_Type_XXXXXXXX";
        }
        for (String f : List.of("Remark", "AddWording")) {
            if (it.has(f) && !it.get(f).isTextual()) {
                return f + " must be a string";
            }
        }
        if (it.has("AddTime") && !it.get("AddTime").isIntegralNumber()) {
            return "AddTime must be an integer";
        }
        JsonNode groups = it.get("GroupName");
        if (groups != null) {
            if (!groups.isArray()) {
                return "GroupName must be an array of strings";
            }
            for (JsonNode g : groups) {
                if (!g.isTextual()) {
                    return "GroupName must be an array of strings";
                }
            }
        }
        JsonNode custom = it.get("CustomItem");
        if (custom != null) {
            if (!custom.isArray()) {
                return "CustomItem must be an array";
            }
            for (JsonNode c : custom) {
                JsonNode tag = c.get("Tag");
                if (tag == null || !tag.isTextual() || !CUSTOM_TAG.matcher(tag.asText()).matches()) {
                    return "CustomItem Tag must look like Tag_SNS_Custom_XXXX";
                }
            }
        }
        return null;
    }

    ObjectNode friendGet(ImRequest r) {
        String from = r.requireString("From_Account", BAD_PARAM);
        long start = r.requireLong("StartIndex", BAD_PARAM);
        if (start < 0) {
            throw new ImApiException(BAD_PARAM, "StartIndex must not be negative");
        }
        r.optLong("StandardSequence", BAD_PARAM);
        r.optLong("CustomSequence", BAD_PARAM);
        if (!accounts.exists(from)) {
            throw new ImApiException(30003, "account " + from + " not found");
        }
        int total = friends.count(from);
        int page = Math.max(1, limits.getFriendGetPage());
        List<Friend> list = friends.page(from, (int) Math.min(start, Integer.MAX_VALUE), page);
        ObjectNode out = ImReply.ok();
        ArrayNode data = out.putArray("UserDataItem");
        for (Friend f : list) {
            ObjectNode u = data.addObject().put("To_Account", f.peer());
            ArrayNode values = u.putArray("ValueItem");
            values.addObject().put("Tag", "Tag_SNS_IM_AddSource").put("Value", f.addSource());
            if (f.remark() != null) {
                values.addObject().put("Tag", "Tag_SNS_IM_Remark").put("Value", f.remark());
            }
            if (f.groupNamesJson() != null) {
                values.addObject().put("Tag", "Tag_SNS_IM_Group").set("Value", parse(f.groupNamesJson()));
            }
            values.addObject().put("Tag", "Tag_SNS_IM_AddTime").put("Value", f.addTime());
            if (f.addWording() != null) {
                values.addObject().put("Tag", "Tag_SNS_IM_AddWording").put("Value", f.addWording());
            }
            if (f.customItemsJson() != null) {
                parse(f.customItemsJson()).forEach(c -> values.addObject().put("Tag", c.get("Tag").asText()).set("Value", c.get("Value")));
            }
        }
        long next = start + list.size();
        out.put("StandardSequence", total);
        out.put("CustomSequence", total);
        out.put("FriendNum", total);
        out.put("CompleteFlag", next >= total ? 1 : 0);
        out.put("NextStartIndex", next >= total ? 0 : next);
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt friend data", e);
        }
    }
}
