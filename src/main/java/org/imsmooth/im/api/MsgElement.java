package org.imsmooth.im.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a {@code MsgBody} array: {@code {MsgType, MsgContent}} (reference 5.5).
 * The content stays an ordered map so every element type, including ones IM adds later
 * (e.g. TIMRelayElem), passes through import and read-back unchanged; the factories only help
 * build the common types with Tencent's field names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MsgElement(
        @JsonProperty("MsgType") String msgType,
        @JsonProperty("MsgContent") Map<String, Object> msgContent) {

    public static final String TEXT = "TIMTextElem";
    public static final String IMAGE = "TIMImageElem";
    public static final String FILE = "TIMFileElem";
    public static final String SOUND = "TIMSoundElem";
    public static final String VIDEO = "TIMVideoFileElem";
    public static final String LOCATION = "TIMLocationElem";
    public static final String FACE = "TIMFaceElem";
    public static final String CUSTOM = "TIMCustomElem";

    /** Tencent's value for "download through the URL" in sound, file and video elements. */
    public static final int DOWNLOAD_FLAG_URL = 2;

    public MsgElement {
        // Keep the sender's field order; JSON nulls are legal content, so no Map.copyOf.
        msgContent = msgContent == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(msgContent));
    }

    /** Any element type, content as given. */
    public static MsgElement of(String msgType, Map<String, Object> msgContent) {
        return new MsgElement(msgType, msgContent);
    }

    public static MsgElement text(String text) {
        return new MsgElement(TEXT, content("Text", text));
    }

    public static MsgElement custom(String data, String desc, String ext, String sound) {
        return new MsgElement(CUSTOM, content("Data", data, "Desc", desc, "Ext", ext, "Sound", sound));
    }

    public static MsgElement custom(String data) {
        return custom(data, null, null, null);
    }

    public static MsgElement face(int index, String data) {
        return new MsgElement(FACE, content("Index", index, "Data", data));
    }

    public static MsgElement location(String desc, double latitude, double longitude) {
        return new MsgElement(LOCATION, content("Desc", desc, "Latitude", latitude, "Longitude", longitude));
    }

    /** @param imageFormat JPG=1, GIF=2, PNG=3, BMP=4, other=255; infos from {@link #imageInfo}. */
    public static MsgElement image(String uuid, int imageFormat, List<Map<String, Object>> imageInfoArray) {
        return new MsgElement(IMAGE, content("UUID", uuid, "ImageFormat", imageFormat, "ImageInfoArray", imageInfoArray));
    }

    /** @param type 1 = original, 2 = large, 3 = thumbnail. */
    public static Map<String, Object> imageInfo(int type, long size, int width, int height, String url) {
        return content("Type", type, "Size", size, "Width", width, "Height", height, "URL", url);
    }

    public static MsgElement sound(String url, String uuid, long size, int second) {
        return new MsgElement(SOUND, content("Url", url, "UUID", uuid, "Size", size, "Second", second,
                "Download_Flag", DOWNLOAD_FLAG_URL));
    }

    public static MsgElement file(String url, String uuid, long fileSize, String fileName) {
        return new MsgElement(FILE, content("Url", url, "UUID", uuid, "FileSize", fileSize, "FileName", fileName,
                "Download_Flag", DOWNLOAD_FLAG_URL));
    }

    public static MsgElement video(String videoUrl, String videoUuid, long videoSize, int videoSecond, String videoFormat,
                                   String thumbUrl, String thumbUuid, long thumbSize, int thumbWidth, int thumbHeight,
                                   String thumbFormat) {
        return new MsgElement(VIDEO, content(
                "VideoUrl", videoUrl, "VideoUUID", videoUuid, "VideoSize", videoSize, "VideoSecond", videoSecond,
                "VideoFormat", videoFormat, "VideoDownloadFlag", DOWNLOAD_FLAG_URL,
                "ThumbUrl", thumbUrl, "ThumbUUID", thumbUuid, "ThumbSize", thumbSize, "ThumbWidth", thumbWidth,
                "ThumbHeight", thumbHeight, "ThumbFormat", thumbFormat, "ThumbDownloadFlag", DOWNLOAD_FLAG_URL));
    }

    /** The text of a TIMTextElem, else null. */
    @JsonIgnore
    public String textContent() {
        return TEXT.equals(msgType) && msgContent != null && msgContent.get("Text") instanceof String s ? s : null;
    }

    private static Map<String, Object> content(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) { // optional fields are left out, as Tencent's samples do
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }
}
