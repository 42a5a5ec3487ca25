package org.imsmooth.sandbox.handler;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.imsmooth.sandbox.domain.GroupOperations;
import org.imsmooth.sandbox.domain.ImIds;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.http.ImRequest;
import org.imsmooth.sandbox.state.GroupStore.Group;

/** Request parsing shared by the group APIs: GroupId lookup and string lists. */
final class GroupRequests {

    static final int BAD_PARAM = 10004;

    private GroupRequests() {
    }

    /** The group named by GroupId: 10015 for a malformed id, 10010 when missing or dismissed. */
    static Group group(ImRequest r, GroupOperations ops) {
        String id = r.requireString("GroupId", BAD_PARAM);
        if (id.isEmpty() || id.length() > 48 || !ImIds.printableAscii(id)) {
            throw new ImApiException(10015, "invalid GroupId");
        }
        return ops.require(id);
    }

    static void refuseAvChatRoom(Group g, int code) {
        if ("AVChatRoom".equals(g.type())) {
            throw new ImApiException(code, "not supported for AVChatRoom groups");
        }
    }

    static List<String> strings(ArrayNode a, String field) {
        List<String> out = new ArrayList<>();
        if (a == null) {
            return out;
        }
        for (JsonNode n : a) {
            if (!n.isTextual()) {
                throw new ImApiException(BAD_PARAM, field + " must hold strings");
            }
            out.add(n.asText());
        }
        return out;
    }
}
