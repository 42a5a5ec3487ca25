package org.imsmooth.sandbox.handler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.imsmooth.sandbox.state.AccountStore.ProfileValue;
import org.springframework.stereotype.Component;

/** portrait_set and portrait_get (reference sections 3 and 9.1). */
@Component
@ConditionalOnSandbox
public class ProfileApis implements ImApiArea {

    private static final int BAD_PARAM = 40001;

    private final AccountStore accounts;
    private final ProfileTags tags;

    public ProfileApis(AccountStore accounts, SandboxProperties props) {
        this.accounts = accounts;
        this.tags = new ProfileTags(props.getProfile().getCustomTags());
    }

    @Override
    public Map<ImApi, ImApiHandler> handlers() {
        return Map.of(ImApi.PORTRAIT_SET, this::portraitSet, ImApi.PORTRAIT_GET, this::portraitGet);
    }

    ObjectNode portraitSet(ImRequest r) {
        String from = r.requireString("From_Account", BAD_PARAM);
        ArrayNode items = r.requireArray("ProfileItem", BAD_PARAM);
        if (items.isEmpty()) {
            throw new ImApiException(BAD_PARAM, "ProfileItem must not be empty");
        }
        if (!accounts.exists(from)) {
            throw new ImApiException(40003, "account " + from + " not found");
        }
        // All items are validated before any is written: a bad item leaves the profile unchanged.
        Map<String, ProfileValue> values = new LinkedHashMap<>();
        for (JsonNode it : items) {
            String tag = it.isObject() ? ImRequest.string(it, "Tag", BAD_PARAM) : null;
            if (tag == null) {
                throw new ImApiException(BAD_PARAM, "ProfileItem entries need Tag and Value");
            }
            if (!tags.known(tag)) {
                throw new ImApiException(40009, "tag " + tag + " does not exist");
            }
            values.put(tag, tags.value(tag, it.get("Value")));
        }
        accounts.setProfile(from, values);
        return ImReply.ok();
    }

    ObjectNode portraitGet(ImRequest r) {
        ArrayNode to = r.requireArray("To_Account", BAD_PARAM);
        ArrayNode tagList = r.requireArray("TagList", BAD_PARAM);
        if (to.isEmpty()) {
            throw new ImApiException(40002, "no account given");
        }
        if (to.size() > 100) {
            throw new ImApiException(BAD_PARAM, "at most 100 accounts per call");
        }
        List<String> wanted = new ArrayList<>();
        for (JsonNode t : tagList) {
            if (!t.isTextual()) {
                throw new ImApiException(BAD_PARAM, "TagList entries must be strings");
            }
            if (!tags.known(t.asText())) {
                throw new ImApiException(40009, "tag " + t.asText() + " does not exist");
            }
            wanted.add(t.asText());
        }
        ObjectNode out = ImReply.ok();
        ArrayNode users = out.putArray("UserProfileItem");
        ArrayNode failed = JsonArrays.empty();
        for (JsonNode u : to) {
            if (!u.isTextual()) {
                throw new ImApiException(BAD_PARAM, "To_Account entries must be strings");
            }
            ObjectNode item = users.addObject();
            item.put("To_Account", u.asText());
            ArrayNode profile = item.putArray("ProfileItem");
            if (!accounts.exists(u.asText())) {
                // Per-user failure; the call as a whole still succeeds (UNCONFIRMED upstream).
                item.put("ResultCode", 40003).put("ResultInfo", "account not found");
                failed.add(u.asText());
                continue;
            }
            accounts.profile(u.asText(), wanted).forEach((tag, v) -> {
                ObjectNode p = profile.addObject().put("Tag", tag);
                if (v.integer()) {
                    p.put("Value", Long.parseLong(v.value()));
                } else {
                    p.put("Value", v.value());
                }
            });
            item.put("ResultCode", 0).put("ResultInfo", "");
        }
        if (!failed.isEmpty()) {
            out.set("Fail_Account", failed);
        }
        return out;
    }
}
