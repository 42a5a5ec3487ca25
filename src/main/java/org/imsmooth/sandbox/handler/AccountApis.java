package org.imsmooth.sandbox.handler;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.domain.ImIds;
import org.imsmooth.sandbox.http.ImApiArea;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.http.ImApiHandler;
import org.imsmooth.sandbox.http.ImReply;
import org.imsmooth.sandbox.http.ImRequest;
import org.imsmooth.sandbox.state.AccountStore;
import org.imsmooth.sandbox.state.AccountStore.ProfileValue;
import org.springframework.stereotype.Component;

/** account_import, multiaccount_import, account_check (reference section 2). */
@Component
@ConditionalOnSandbox
public class AccountApis implements ImApiArea {

    private static final int BAD_PARAM = 70402;
    private static final int MAX_BATCH = 100;

    private final AccountStore accounts;

    public AccountApis(AccountStore accounts) {
        this.accounts = accounts;
    }

    @Override
    public Map<ImApi, ImApiHandler> handlers() {
        return Map.of(ImApi.ACCOUNT_IMPORT, this::accountImport,
                ImApi.MULTIACCOUNT_IMPORT, this::multiAccountImport,
                ImApi.ACCOUNT_CHECK, this::accountCheck);
    }

    ObjectNode accountImport(ImRequest r) {
        // Older docs and the Go SDK send Identifier instead of UserID: accept both.
        String id = r.has("UserID") ? r.requireString("UserID", BAD_PARAM) : r.optString("Identifier", BAD_PARAM);
        if (id == null) {
            throw new ImApiException(BAD_PARAM, "UserID is required");
        }
        if (!ImIds.validUserId(id)) {
            throw new ImApiException(BAD_PARAM, "UserID must be 1..32 bytes of printable ASCII");
        }
        accounts.importAccount(id, nickAndFace(r.optString("Nick", BAD_PARAM), r.optString("FaceUrl", BAD_PARAM)));
        return ImReply.ok();
    }

    ObjectNode multiAccountImport(ImRequest r) {
        ArrayNode ids = r.optArray("Accounts", BAD_PARAM);
        ArrayNode list = r.optArray("AccountList", BAD_PARAM);
        if ((ids == null) == (list == null)) {
            throw new ImApiException(BAD_PARAM, "send exactly one of Accounts or AccountList");
        }
        ArrayNode items = ids != null ? ids : list;
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw new ImApiException(BAD_PARAM, "1.." + MAX_BATCH + " accounts per call");
        }
        ObjectNode out = ImReply.ok();
        ArrayNode failed = out.putArray("FailAccounts");
        for (JsonNode it : items) {
            if (ids != null) {
                if (it.isTextual() && ImIds.validUserId(it.asText())) {
                    // Old form: an existing account is left as it is.
                    if (!accounts.exists(it.asText())) {
                        accounts.importAccount(it.asText(), Map.of());
                    }
                } else {
                    failed.add(it.isTextual() ? it.asText() : it.toString());
                }
                continue;
            }
            JsonNode uid = it.get("UserID");
            if (!it.isObject() || uid == null || !uid.isTextual() || !ImIds.validUserId(uid.asText())) {
                failed.add(uid != null && uid.isTextual() ? uid.asText() : it.toString());
                continue;
            }
            try {
                // New form: an existing account gets its Nick/FaceUrl updated.
                accounts.importAccount(uid.asText(), nickAndFace(ImRequest.string(it, "Nick", BAD_PARAM),
                        ImRequest.string(it, "FaceUrl", BAD_PARAM)));
            } catch (ImApiException e) {
                failed.add(uid.asText());
            }
        }
        return out;
    }

    ObjectNode accountCheck(ImRequest r) {
        ArrayNode items = r.requireArray("CheckItem", BAD_PARAM);
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw new ImApiException(BAD_PARAM, "CheckItem must hold 1.." + MAX_BATCH + " items");
        }
        ObjectNode out = ImReply.ok();
        ArrayNode result = out.putArray("ResultItem");
        for (JsonNode it : items) {
            String id = it.isObject() ? ImRequest.string(it, "UserID", BAD_PARAM) : null;
            if (id == null) {
                throw new ImApiException(BAD_PARAM, "CheckItem entries need UserID");
            }
            result.addObject().put("UserID", id).put("ResultCode", 0).put("ResultInfo", "")
                    .put("AccountStatus", accounts.exists(id) ? "Imported" : "NotImported");
        }
        return out;
    }

    /** account_import's Nick and FaceUrl are the profile tags Nick and Image. */
    private static Map<String, ProfileValue> nickAndFace(String nick, String face) {
        Map<String, ProfileValue> p = new LinkedHashMap<>();
        if (nick != null) {
            p.put("Tag_Profile_IM_Nick", new ProfileValue(checkSize(nick), false));
        }
        if (face != null) {
            p.put("Tag_Profile_IM_Image", new ProfileValue(checkSize(face), false));
        }
        return p;
    }

    private static String checkSize(String v) {
        if (ImIds.utf8Length(v) > 500) {
            throw new ImApiException(40601, "profile value longer than 500 bytes");
        }
        return v;
    }
}
