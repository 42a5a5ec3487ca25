package org.imsmooth.sandbox.handler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Free-standing JSON arrays for reply fields that are added only when non-empty. */
final class JsonArrays {

    private JsonArrays() {
    }

    static ArrayNode empty() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
