package org.imsmooth.sandbox.domain;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.imsmooth.sandbox.http.ImApiException;

/** Group field rules (reference section 6): types, byte lengths, enums. Violations are 10004. */
public final class GroupRules {

    public static final int BAD_PARAM = 10004;
    public static final Set<String> TYPES = Set.of("Private", "Public", "ChatRoom", "AVChatRoom", "Community",
            "Work", "Meeting");
    public static final Set<String> APPLY_JOIN = Set.of("FreeAccess", "NeedPermission", "DisableApply");

    private GroupRules() {
    }

    public static void type(String type) {
        if (!TYPES.contains(type)) {
            throw new ImApiException(BAD_PARAM, "Type must be one of " + TYPES);
        }
    }

    public static void name(String name) {
        if (name.isEmpty()) {
            throw new ImApiException(BAD_PARAM, "Name must not be empty");
        }
        maxBytes("Name", name, 30);
    }

    public static void maxBytes(String field, String value, int max) {
        if (value != null && ImIds.utf8Length(value) > max) {
            throw new ImApiException(BAD_PARAM, field + " is longer than " + max + " bytes");
        }
    }

    public static void baseTexts(String intro, String notification, String faceUrl) {
        maxBytes("Introduction", intro, 240);
        maxBytes("Notification", notification, 300);
        maxBytes("FaceUrl", faceUrl, 100);
    }

    public static void applyJoin(String option) {
        if (option != null && !APPLY_JOIN.contains(option)) {
            throw new ImApiException(BAD_PARAM, "ApplyJoinOption must be one of " + APPLY_JOIN);
        }
    }

    /** AppDefinedData: [{Key ≤16 B, Value ≤512 B}] (member data: ≤64 B). */
    public static void appDefinedData(ArrayNode items, int maxValueBytes) {
        if (items == null) {
            return;
        }
        for (JsonNode it : items) {
            JsonNode k = it.get("Key");
            JsonNode v = it.get("Value");
            if (!it.isObject() || k == null || !k.isTextual() || v == null || !v.isTextual()) {
                throw new ImApiException(BAD_PARAM, "AppDefinedData items need string Key and Value");
            }
            if (k.asText().isEmpty() || ImIds.utf8Length(k.asText()) > 16) {
                throw new ImApiException(BAD_PARAM, "AppDefinedData Key must be 1..16 bytes");
            }
            if (ImIds.utf8Length(v.asText()) > maxValueBytes) {
                throw new ImApiException(BAD_PARAM, "AppDefinedData Value is longer than " + maxValueBytes + " bytes");
            }
        }
    }
}
