package org.imsmooth.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The echo rules both sync directions share (DEVELOPERS.md, "Two-way sync"): what the service sends
 * to IM carries the origin marker {@code {"imsmooth":{"origin":"old","id":"<old id>"}}} in
 * CloudCustomData, and group operations run as the admin. A callback that carries either was caused
 * by the service itself and must not travel back.
 */
@Component
public class EchoRules {

    public static final String MARKER_FIELD = "imsmooth";
    public static final String ORIGIN_OLD = "old";
    public static final String ORIGIN_IM = "im";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String admin;

    public EchoRules(@Value("${im.admin}") String admin) {
        this.admin = admin;
    }

    /** True when CloudCustomData (a JSON text, possibly absent or not JSON at all) carries origin "old". */
    public boolean carriesOldOrigin(String cloudCustomData) {
        if (cloudCustomData == null || cloudCustomData.isBlank() || !cloudCustomData.contains(MARKER_FIELD)) {
            return false;
        }
        try {
            JsonNode marker = JSON.readTree(cloudCustomData).path(MARKER_FIELD);
            return ORIGIN_OLD.equals(marker.path("origin").asText(null));
        } catch (Exception notJson) {
            // an app's own CloudCustomData need not be JSON; then it holds no marker
            return false;
        }
    }

    /** True when the operator of a group event is the admin account the service acts as. */
    public boolean isServiceOperator(String operatorAccount) {
        return operatorAccount != null && operatorAccount.equals(admin);
    }

    /** The JMSXGroupID of a C2C conversation: both UserIDs sorted, joined with '|'. */
    public static String c2cConversation(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }
}
