package org.imsmooth.im;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * TLSSigAPIv2 UserSig, exactly as reference section 1 (and Tencent's Python/Go/Java/Node libraries)
 * compute it: HMAC-SHA256 over the content string, a JSON document, zlib, then base64 with
 * {@code + / =} replaced by {@code * - _}.
 */
public final class UserSigV2 {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UserSigV2() {
    }

    public static String generate(long sdkAppId, String secretKey, String identifier, long expireSeconds, long nowSeconds) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("TLS.ver", "2.0");
        doc.put("TLS.identifier", identifier);
        doc.put("TLS.sdkappid", sdkAppId);
        doc.put("TLS.expire", expireSeconds);
        doc.put("TLS.time", nowSeconds);
        doc.put("TLS.sig", hmacBase64(secretKey, identifier, sdkAppId, nowSeconds, expireSeconds));
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write UserSig document", e);
        }
        return toBase64Url(deflate(json));
    }

    /** {@code TLS.sig}: standard base64 of HMAC-SHA256(secretKey, content). */
    static String hmacBase64(String secretKey, String identifier, long sdkAppId, long time, long expire) {
        String content = "TLS.identifier:" + identifier + "\n"
                + "TLS.sdkappid:" + sdkAppId + "\n"
                + "TLS.time:" + time + "\n"
                + "TLS.expire:" + expire + "\n";
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Parses a UserSig back into its document (no signature check; see {@link Decoded#signedWith}). */
    public static Decoded decode(String userSig) {
        try {
            JsonNode n = JSON.readTree(inflate(fromBase64Url(userSig)));
            return new Decoded(n.path("TLS.ver").asText(null), n.path("TLS.identifier").asText(null),
                    n.path("TLS.sdkappid").asLong(), n.path("TLS.time").asLong(), n.path("TLS.expire").asLong(),
                    n.path("TLS.sig").asText(null));
        } catch (IOException | DataFormatException | IllegalArgumentException e) {
            // The input is a credential: never echo it in the message.
            throw new IllegalArgumentException("not a valid UserSig v2 (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The fields of a decoded UserSig. toString hides {@code TLS.sig}, from which the UserSig can be rebuilt. */
    public record Decoded(String ver, String identifier, long sdkAppId, long time, long expire, String sig) {

        /** True when the signature was made with this key over the stored fields. */
        public boolean signedWith(String secretKey) {
            String expected = hmacBase64(secretKey, identifier, sdkAppId, time, expire);
            return sig != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    sig.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "UserSig[ver=" + ver + ", identifier=" + identifier + ", sdkAppId=" + sdkAppId
                    + ", time=" + time + ", expire=" + expire + ", sig=******]";
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(); // zlib stream (RFC 1950), as Tencent's libraries use
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] data) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated zlib stream");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static String toBase64Url(byte[] data) {
        return Base64.getEncoder().encodeToString(data).replace('+', '*').replace('/', '-').replace('=', '_');
    }

    private static byte[] fromBase64Url(String s) {
        String std = s.replace('_', '=').replace('-', '/').replace('*', '+');
        while (std.length() % 4 != 0) { // Node's decoder pads too
            std += "=";
        }
        return Base64.getDecoder().decode(std);
    }
}
