package org.imsmooth.pipeline.message;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.api.MsgElement;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Converts a canonical message (kind + body) to IM's MsgBody and back, for every element type the
 * migration guide allows. Canonical bodies: {@code text} is the text itself; the other kinds are JSON
 * with {@code url, width, height, size, name, seconds, thumb, desc, latitude, longitude, index, data, ext}
 * (README "Canonical message bodies"); kind {@code im} carries a MsgBody array verbatim.
 * Empty and oversized bodies are rejected before any call.
 */
@Component("messageBodies")
public class MessageBodies {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final TypeReference<List<MsgElement>> ELEMENTS = new TypeReference<>() { };

    private final ObjectMapper json = new ObjectMapper();
    private final int maxBodyBytes;

    public MessageBodies(@Value("${pipeline.messages.max-body-bytes:8000}") int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public List<MsgElement> toMsgBody(String sourceId, String kind, String body) {
        if (body == null || body.isBlank()) {
            throw new RejectedRecordException(sourceId, "message body is empty");
        }
        List<MsgElement> elements = List.of(element(sourceId, kind == null ? "text" : kind.toLowerCase(Locale.ROOT), body));
        int size = write(elements).getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBodyBytes) {
            throw new RejectedRecordException(sourceId, "message body is " + size + " bytes; IM accepts at most " + maxBodyBytes);
        }
        return elements;
    }

    /** The reverse direction (IM -> old system): the canonical kind of the first element. */
    public String kindOf(List<MsgElement> body) {
        if (body == null || body.isEmpty()) {
            return "text";
        }
        return switch (body.get(0).msgType()) {
            case MsgElement.TEXT -> "text";
            case MsgElement.IMAGE -> "image";
            case MsgElement.FILE -> "file";
            case MsgElement.SOUND -> "sound";
            case MsgElement.VIDEO -> "video";
            case MsgElement.LOCATION -> "location";
            case MsgElement.FACE -> "face";
            case MsgElement.CUSTOM -> "custom";
            default -> "im";
        };
    }

    /** The reverse direction: the canonical body of an IM MsgBody (text for one text element, else JSON). */
    public String bodyOf(List<MsgElement> body) {
        if (body != null && body.size() == 1 && MsgElement.TEXT.equals(body.get(0).msgType())) {
            return String.valueOf(body.get(0).msgContent().get("Text"));
        }
        if (body != null && body.size() == 1) {
            Map<String, Object> c = body.get(0).msgContent();
            Map<String, Object> out = new LinkedHashMap<>();
            switch (body.get(0).msgType()) {
                case MsgElement.IMAGE -> {
                    Object infos = c.get("ImageInfoArray");
                    if (infos instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> info) {
                        out.put("url", info.get("URL"));
                        out.put("width", info.get("Width"));
                        out.put("height", info.get("Height"));
                        out.put("size", info.get("Size"));
                    }
                }
                case MsgElement.FILE -> {
                    out.put("url", c.get("Url"));
                    out.put("name", c.get("FileName"));
                    out.put("size", c.get("FileSize"));
                }
                case MsgElement.SOUND -> {
                    out.put("url", c.get("Url"));
                    out.put("seconds", c.get("Second"));
                    out.put("size", c.get("Size"));
                }
                case MsgElement.VIDEO -> {
                    out.put("url", c.get("VideoUrl"));
                    out.put("seconds", c.get("VideoSecond"));
                    out.put("size", c.get("VideoSize"));
                    out.put("thumb", c.get("ThumbUrl"));
                }
                case MsgElement.LOCATION -> {
                    out.put("desc", c.get("Desc"));
                    out.put("latitude", c.get("Latitude"));
                    out.put("longitude", c.get("Longitude"));
                }
                case MsgElement.FACE -> {
                    out.put("index", c.get("Index"));
                    out.put("data", c.get("Data"));
                }
                case MsgElement.CUSTOM -> {
                    out.put("data", c.get("Data"));
                    out.put("desc", c.get("Desc"));
                    out.put("ext", c.get("Ext"));
                }
                default -> {
                    return write(body);
                }
            }
            return write(out);
        }
        return write(body);
    }

    private MsgElement element(String sourceId, String kind, String body) {
        if (kind.equals("text")) {
            return MsgElement.text(body);
        }
        if (kind.equals("im")) {
            List<MsgElement> verbatim = read(sourceId, body, ELEMENTS);
            if (verbatim.size() != 1) {
                throw new RejectedRecordException(sourceId, "kind 'im' must hold exactly one MsgBody element here, got " + verbatim.size());
            }
            return verbatim.get(0);
        }
        Map<String, Object> b = read(sourceId, body, OBJECT);
        String uuid = UUID.nameUUIDFromBytes((sourceId + ":" + kind).getBytes(StandardCharsets.UTF_8)).toString();
        return switch (kind) {
            case "image" -> MsgElement.image(uuid, imageFormat(str(b, "url")),
                    List.of(MsgElement.imageInfo(1, num(b, "size"), (int) num(b, "width"), (int) num(b, "height"), require(sourceId, b, "url"))));
            case "file" -> MsgElement.file(require(sourceId, b, "url"), uuid, num(b, "size"), str(b, "name"));
            case "sound" -> MsgElement.sound(require(sourceId, b, "url"), uuid, num(b, "size"), (int) num(b, "seconds"));
            case "video" -> MsgElement.video(require(sourceId, b, "url"), uuid, num(b, "size"), (int) num(b, "seconds"),
                    extension(str(b, "url")), str(b, "thumb"), uuid + "-thumb", 0, 0, 0, extension(str(b, "thumb")));
            case "location" -> MsgElement.location(str(b, "desc"), dbl(b, "latitude"), dbl(b, "longitude"));
            case "face" -> MsgElement.face((int) num(b, "index"), str(b, "data"));
            case "custom" -> MsgElement.custom(require(sourceId, b, "data"), str(b, "desc"), str(b, "ext"), null);
            default -> throw new RejectedRecordException(sourceId, "unknown message kind '" + kind
                    + "' (known: text, image, file, sound, video, location, face, custom, im)");
        };
    }

    private <T> T read(String sourceId, String body, TypeReference<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new RejectedRecordException(sourceId, "message body is not the JSON its kind needs: " + e.getOriginalMessage());
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String require(String sourceId, Map<String, Object> body, String field) {
        String value = str(body, field);
        if (value == null || value.isBlank()) {
            throw new RejectedRecordException(sourceId, "message body has no '" + field + "'");
        }
        return value;
    }

    private static String str(Map<String, Object> body, String field) {
        Object v = body.get(field);
        return v == null ? null : v.toString();
    }

    private static long num(Map<String, Object> body, String field) {
        Object v = body.get(field);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    private static double dbl(Map<String, Object> body, String field) {
        Object v = body.get(field);
        return v instanceof Number n ? n.doubleValue() : 0d;
    }

    private static int imageFormat(String url) {
        return switch (extension(url)) {
            case "jpg", "jpeg" -> 1;
            case "gif" -> 2;
            case "png" -> 3;
            case "bmp" -> 4;
            default -> 255;
        };
    }

    private static String extension(String url) {
        if (url == null || url.lastIndexOf('.') < 0) {
            return "";
        }
        return url.substring(url.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }
}
