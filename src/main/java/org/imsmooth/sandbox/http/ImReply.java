package org.imsmooth.sandbox.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The REST envelope every IM response starts with; API fields are added after it. */
public final class ImReply {

    private ImReply() {
    }

    public static ObjectNode ok() {
        return envelope("OK", 0, "");
    }

    public static ObjectNode fail(int code, String info) {
        return envelope("FAIL", code, info);
    }

    private static ObjectNode envelope(String status, int code, String info) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("ActionStatus", status);
        n.put("ErrorInfo", info);
        n.put("ErrorCode", code);
        return n;
    }
}
