package org.imsmooth.pipeline.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.api.MsgElement;
import org.junit.jupiter.api.Test;

/** Every element type of the guide's message body, from canonical bodies and back. */
class MessageBodiesTest {

    private final MessageBodies bodies = new MessageBodies(8000);

    @Test
    void mapsEveryCanonicalKindToItsElement() {
        assertThat(one("text", "hello")).isEqualTo(MsgElement.text("hello"));
        MsgElement image = one("image", "{\"url\":\"https://x/1.png\",\"width\":640,\"height\":480,\"size\":52000}");
        assertThat(image.msgType()).isEqualTo("TIMImageElem");
        assertThat(image.msgContent()).containsEntry("ImageFormat", 3);
        assertThat((List<?>) image.msgContent().get("ImageInfoArray")).first()
                .isEqualTo(Map.of("Type", 1, "Size", 52000L, "Width", 640, "Height", 480, "URL", "https://x/1.png"));
        assertThat(one("file", "{\"url\":\"https://x/r.pdf\",\"name\":\"r.pdf\",\"size\":9}").msgContent())
                .containsEntry("FileName", "r.pdf").containsEntry("Download_Flag", 2);
        assertThat(one("sound", "{\"url\":\"https://x/s.m4a\",\"seconds\":7,\"size\":3}").msgContent()).containsEntry("Second", 7);
        assertThat(one("video", "{\"url\":\"https://x/v.mp4\",\"seconds\":12,\"size\":9,\"thumb\":\"https://x/v.jpg\"}").msgContent())
                .containsEntry("VideoFormat", "mp4").containsEntry("ThumbUrl", "https://x/v.jpg");
        assertThat(one("location", "{\"desc\":\"Tower\",\"latitude\":22.5,\"longitude\":113.9}").msgContent())
                .containsEntry("Latitude", 22.5);
        assertThat(one("face", "{\"index\":3,\"data\":\"smile\"}").msgContent()).containsEntry("Index", 3);
        assertThat(one("custom", "{\"data\":\"order:1\",\"desc\":\"Order\"}").msgContent()).containsEntry("Data", "order:1");
        assertThat(one("im", "[{\"MsgType\":\"TIMRelayElem\",\"MsgContent\":{\"Title\":\"t\"}}]").msgType()).isEqualTo("TIMRelayElem");
    }

    @Test
    void theStableUuidDependsOnTheSourceIdOnly() {
        String body = "{\"url\":\"https://x/f\",\"name\":\"f\",\"size\":1}";
        assertThat(bodies.toMsgBody("7", "file", body)).isEqualTo(bodies.toMsgBody("7", "file", body));
        assertThat(bodies.toMsgBody("7", "file", body)).isNotEqualTo(bodies.toMsgBody("8", "file", body));
    }

    @Test
    void rejectsBodiesImCannotTakeWithTheReason() {
        assertThatThrownBy(() -> bodies.toMsgBody("1", "text", " ")).isInstanceOf(RejectedRecordException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> bodies.toMsgBody("2", "text", "x".repeat(9000))).hasMessageContaining("at most 8000");
        assertThatThrownBy(() -> bodies.toMsgBody("3", "image", "not json")).hasMessageContaining("not the JSON");
        assertThatThrownBy(() -> bodies.toMsgBody("4", "image", "{\"width\":1}")).hasMessageContaining("no 'url'");
        assertThatThrownBy(() -> bodies.toMsgBody("5", "hologram", "{}")).hasMessageContaining("unknown message kind");
    }

    @Test
    void readsImBodiesBackIntoCanonicalOnes() {
        assertThat(bodies.kindOf(List.of(MsgElement.text("hi")))).isEqualTo("text");
        assertThat(bodies.bodyOf(List.of(MsgElement.text("hi")))).isEqualTo("hi");
        List<MsgElement> location = bodies.toMsgBody("9", "location", "{\"desc\":\"Tower\",\"latitude\":22.5,\"longitude\":113.9}");
        assertThat(bodies.kindOf(location)).isEqualTo("location");
        assertThat(bodies.bodyOf(location)).isEqualTo("{\"desc\":\"Tower\",\"latitude\":22.5,\"longitude\":113.9}");
    }

    private MsgElement one(String kind, String body) {
        List<MsgElement> elements = bodies.toMsgBody("1", kind, body);
        assertThat(elements).hasSize(1);
        return elements.get(0);
    }
}
