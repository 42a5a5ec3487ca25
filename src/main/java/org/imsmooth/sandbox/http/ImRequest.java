package org.imsmooth.sandbox.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImApi;

/**
 * One parsed REST call with typed field access. A field of the wrong JSON type is a bad-param error
 * with the code the caller names (each API documents its own), never a silent coercion.
 */
public final class ImRequest {

    public static final long UINT32_MAX = 4294967295L;

    private final ImApi api;
    private final ObjectNode body;
    private final String identifier;
    private final String clientIp;

    public ImRequest(ImApi api, ObjectNode body, String identifier, String clientIp) {
        this.api = api;
        this.body = body;
        this.identifier = identifier;
        this.clientIp = clientIp;
    }

    public ImApi api() { return api; }

    public ObjectNode body() { return body; }

    /** The admin named in the URL: the operator of REST-triggered events. */
    public String identifier() { return identifier; }

    public String clientIp() { return clientIp; }

    public boolean has(String field) {
        JsonNode n = body.get(field);
        return n != null && !n.isNull();
    }

    public String requireString(String field, int code) {
        String s = optString(field, code);
        if (s == null) {
            throw new ImApiException(code, field + " is required");
        }
        return s;
    }

    public String optString(String field, int code) {
        return string(body, field, code);
    }

    public long requireLong(String field, int code) {
        Long v = optLong(field, code);
        if (v == null) {
            throw new ImApiException(code, field + " is required");
        }
        return v;
    }

    public Long optLong(String field, int code) {
        return integer(body, field, code);
    }

    public long requireUint32(String field, int code) {
        long v = requireLong(field, code);
        checkUint32(field, v, code);
        return v;
    }

    public ArrayNode requireArray(String field, int code) {
        ArrayNode a = optArray(field, code);
        if (a == null) {
            throw new ImApiException(code, field + " is required");
        }
        return a;
    }

    public ArrayNode optArray(String field, int code) {
        return array(body, field, code);
    }

    public ObjectNode optObject(String field, int code) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new ImApiException(code, field + " must be an object");
        }
        return (ObjectNode) n;
    }

    // Static forms for nested objects (list items).

    public static String string(JsonNode obj, String field, int code) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ImApiException(code, field + " must be a string");
        }
        return n.asText();
    }

    public static Long integer(JsonNode obj, String field, int code) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ImApiException(code, field + " must be an integer");
        }
        return n.asLong();
    }

    public static ArrayNode array(JsonNode obj, String field, int code) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new ImApiException(code, field + " must be an array");
        }
        return (ArrayNode) n;
    }

    public static void checkUint32(String field, long v, int code) {
        if (v < 0 || v > UINT32_MAX) {
            throw new ImApiException(code, field + " must be a 32-bit unsigned integer");
        }
    }
}
