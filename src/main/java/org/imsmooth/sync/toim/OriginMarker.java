package org.imsmooth.sync.toim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * The echo marker of the sync contract: what this direction sends carries CloudCustomData
 * {@code {"imsmooth":{"origin":"old","id":"<old id>"}}}, merged into the message's own custom data
 * (a JSON object keeps its fields; any other text is kept under "data"). IM echoes CloudCustomData
 * in its callbacks, so the other direction recognises the message as ours.
 */
@Component
public class OriginMarker {

    private final ObjectMapper json = new ObjectMapper();

    public String cloudCustomData(String ownData, String oldId) {
        ObjectNode data = json.createObjectNode();
        if (ownData != null && !ownData.isBlank()) {
            JsonNode parsed = parse(ownData);
            if (parsed instanceof ObjectNode object) {
                data = object;
            } else {
                data.put("data", ownData);
            }
        }
        ObjectNode marker = data.putObject("imsmooth");
        marker.put("origin", "old");
        marker.put("id", oldId);
        return data.toString();
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }
}
