package org.imsmooth.sandbox.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * TLSSigAPIv2 verification (reference section 1), following the Go library's order:
 * decode → inflate → parse JSON → sdkappid → identifier → expiry → HMAC. The JSON is parsed, never
 * byte-compared, because every signer library formats it differently.
 */
public final class UserSigVerifier {

    /** Outcome with the public REST error code it maps to (0 = valid). */
    public enum Result {
        VALID(0), PARSE_FAILED(70003), SDKAPPID_MISMATCH(70014), IDENTIFIER_MISMATCH(70013),
        EXPIRED(70001), SIG_MISMATCH(70009);

        private final int errorCode;

        Result(int errorCode) { this.errorCode = errorCode; }

        public int errorCode() { return errorCode; }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A UserSig is small; refuse to inflate anything that claims to be huge (zip bomb). */
    private static final int MAX_INFLATED = 16 * 1024;

    /** Verified signatures remembered; a client sends the same UserSig for hours, one verification suffices. */
    private static final int REMEMBERED = 1024;

    private final byte[] key;
    /** (sdkappid, identifier, UserSig) -> the epoch second it expires: verified once, not on every call. */
    private final Map<String, Long> validUntil = new ConcurrentHashMap<>();

    public UserSigVerifier(String secretKey) {
        this.key = secretKey.getBytes(StandardCharsets.UTF_8);
    }

    public Result verify(String userSig, long expectedSdkAppId, String expectedIdentifier, long nowEpochSeconds) {
        String remembered = expectedSdkAppId + "\n" + expectedIdentifier + "\n" + userSig;
        Long until = validUntil.get(remembered);
        if (until != null && nowEpochSeconds <= until) {
            return Result.VALID;
        }
        Result result = check(userSig, expectedSdkAppId, expectedIdentifier, nowEpochSeconds);
        if (result == Result.VALID) {
            if (validUntil.size() >= REMEMBERED) {
                validUntil.clear();
            }
            JsonNode doc = decode(userSig);
            validUntil.put(remembered, doc.get("TLS.time").asLong() + doc.get("TLS.expire").asLong());
        }
        return result;
    }

    private Result check(String userSig, long expectedSdkAppId, String expectedIdentifier, long nowEpochSeconds) {
        JsonNode doc = decode(userSig);
        if (doc == null) {
            return Result.PARSE_FAILED;
        }
        JsonNode identifier = doc.get("TLS.identifier");
        JsonNode sdkAppId = doc.get("TLS.sdkappid");
        JsonNode time = doc.get("TLS.time");
        JsonNode expire = doc.get("TLS.expire");
        JsonNode sig = doc.get("TLS.sig");
        if (identifier == null || !identifier.isTextual() || !isInteger(sdkAppId) || !isInteger(time)
                || !isInteger(expire) || sig == null || !sig.isTextual()) {
            return Result.PARSE_FAILED;
        }
        if (sdkAppId.asLong() != expectedSdkAppId) {
            return Result.SDKAPPID_MISMATCH;
        }
        if (!identifier.asText().equals(expectedIdentifier)) {
            return Result.IDENTIFIER_MISMATCH;
        }
        if (nowEpochSeconds > time.asLong() + expire.asLong()) {
            return Result.EXPIRED;
        }
        JsonNode userbuf = doc.get("TLS.userbuf");
        String content = "TLS.identifier:" + identifier.asText() + "\n"
                + "TLS.sdkappid:" + sdkAppId.asLong() + "\n"
                + "TLS.time:" + time.asLong() + "\n"
                + "TLS.expire:" + expire.asLong() + "\n"
                + (userbuf != null && userbuf.isTextual() ? "TLS.userbuf:" + userbuf.asText() + "\n" : "");
        byte[] expected = hmac(content);
        byte[] actual;
        try {
            actual = Base64.getMimeDecoder().decode(sig.asText());
        } catch (IllegalArgumentException e) {
            return Result.SIG_MISMATCH;
        }
        return MessageDigest.isEqual(expected, actual) ? Result.VALID : Result.SIG_MISMATCH;
    }

    /** Base64 HMAC-SHA256 of the content string, as TLS.sig carries it. */
    public String sign(String content) {
        return Base64.getEncoder().encodeToString(hmac(content));
    }

    private byte[] hmac(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static boolean isInteger(JsonNode n) {
        return n != null && n.isIntegralNumber();
    }

    /** base64url with TLS substitutions → zlib inflate → JSON object, or null when any step fails. */
    static JsonNode decode(String userSig) {
        if (userSig == null || userSig.isEmpty() || userSig.length() > 4096) {
            return null;
        }
        String b64 = userSig.replace('_', '=').replace('-', '/').replace('*', '+');
        while (b64.length() % 4 != 0) {
            b64 += "=";
        }
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_INFLATED) {
                    return null;
                }
            }
            JsonNode doc = JSON.readTree(out.toByteArray());
            return doc != null && doc.isObject() ? doc : null;
        } catch (DataFormatException | java.io.IOException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
