package org.imsmooth.sync.toold;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Test side of IM: posts callbacks to the service's /im/callback, signed like IM signs them. */
final class CallbackPoster {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final long sdkAppId;
    private final String token;

    CallbackPoster(int port, long sdkAppId, String token) {
        this.base = "http://127.0.0.1:" + port + "/im/callback";
        this.sdkAppId = sdkAppId;
        this.token = token;
    }

    HttpResponse<String> post(String command, String body) {
        long now = System.currentTimeMillis() / 1000;
        return post(sdkAppId, command, sign(token, now), now, body);
    }

    HttpResponse<String> post(long appId, String command, String sign, long requestTime, String body) {
        String query = "SdkAppid=" + appId + "&CallbackCommand=" + command + "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=iOS"
                + (sign == null ? "" : "&Sign=" + sign + "&RequestTime=" + requestTime);
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "?" + query)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** IM only POSTs: anything else must be refused with a JSON reason. */
    HttpResponse<String> get(String command) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "?SdkAppid=" + sdkAppId + "&CallbackCommand=" + command))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(String token, long requestTime) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((token + requestTime).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String c2c(String from, String to, String msgKey, long seq, String text, String cloudCustomData) {
        return "{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"From_Account\":\"" + from + "\",\"To_Account\":\"" + to
                + "\",\"MsgSeq\":" + seq + ",\"MsgRandom\":7,\"MsgTime\":" + (System.currentTimeMillis() / 1000)
                + ",\"MsgKey\":\"" + msgKey + "\",\"SendMsgResult\":0,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\""
                + text + "\"}}]" + (cloudCustomData == null ? "" : ",\"CloudCustomData\":" + quote(cloudCustomData)) + "}";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
