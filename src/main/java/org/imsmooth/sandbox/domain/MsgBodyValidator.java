package org.imsmooth.sandbox.domain;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * MsgBody (TIMMsgElement array) checks shared by C2C and group sends/imports. Returns a problem
 * kind so each API can map it to its own documented code.
 */
public final class MsgBodyValidator {

    /** What is wrong with a MsgBody. */
    public enum Problem { NOT_ARRAY, EMPTY, ELEMENT, TOO_LARGE }

    /** A failed check with a readable reason. */
    public record Failure(Problem problem, String reason) {
    }

    // Required MsgContent fields per element type; other types are accepted with any content.
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "TIMTextElem", Set.of("Text"),
            "TIMCustomElem", Set.of("Data"),
            "TIMFaceElem", Set.of("Index"),
            "TIMLocationElem", Set.of("Latitude", "Longitude"),
            "TIMImageElem", Set.of(),
            "TIMSoundElem", Set.of(),
            "TIMFileElem", Set.of(),
            "TIMVideoFileElem", Set.of(),
            "TIMRelayElem", Set.of());

    private MsgBodyValidator() {
    }

    /** @return null when valid */
    public static Failure check(JsonNode body, int maxBytes) {
        if (body == null || !body.isArray()) {
            return new Failure(Problem.NOT_ARRAY, "MsgBody must be an array");
        }
        if (body.isEmpty()) {
            return new Failure(Problem.EMPTY, "MsgBody must not be empty");
        }
        int custom = 0;
        for (JsonNode el : body) {
            JsonNode type = el.get("MsgType");
            JsonNode content = el.get("MsgContent");
            if (!el.isObject() || type == null || !type.isTextual() || content == null || !content.isObject()) {
                return new Failure(Problem.ELEMENT, "each MsgBody element needs MsgType (string) and MsgContent (object)");
            }
            Set<String> required = REQUIRED.get(type.asText());
            if (required == null) {
                return new Failure(Problem.ELEMENT, "unknown MsgType " + type.asText());
            }
            for (String f : required) {
                if (!content.has(f)) {
                    return new Failure(Problem.ELEMENT, type.asText() + " requires MsgContent." + f);
                }
            }
            if (("TIMTextElem".equals(type.asText()) && !content.get("Text").isTextual())
                    || ("TIMCustomElem".equals(type.asText()) && !content.get("Data").isTextual())) {
                return new Failure(Problem.ELEMENT, type.asText() + " content must be a string");
            }
            if ("TIMCustomElem".equals(type.asText()) && ++custom > 1) {
                return new Failure(Problem.ELEMENT, "at most one TIMCustomElem per message");
            }
        }
        if (body.toString().getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return new Failure(Problem.TOO_LARGE, "MsgBody larger than " + maxBytes + " bytes");
        }
        return null;
    }
}
