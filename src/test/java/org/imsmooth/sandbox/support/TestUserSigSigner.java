package org.imsmooth.sandbox.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Deflater;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A TLSSigAPIv2 signer, written from reference section 1, independent of the sandbox's verifier. */
public final class TestUserSigSigner {

    private TestUserSigSigner() {
    }

    public static String sign(String key, long sdkAppId, String identifier, long time, long expire) {
        String content = "TLS.identifier:" + identifier + "\n" + "TLS.sdkappid:" + sdkAppId + "\n"
                + "TLS.time:" + time + "\n" + "TLS.expire:" + expire + "\n";
        String sig = hmacBase64(key, content);
        // Python json.dumps style separators, to prove the verifier parses instead of byte-comparing.
        String json = "{\"TLS.ver\": \"2.0\", \"TLS.identifier\": \"" + identifier + "\", \"TLS.sdkappid\": " + sdkAppId
                + ", \"TLS.expire\": " + expire + ", \"TLS.time\": " + time + ", \"TLS.sig\": \"" + sig + "\"}";
        return pack(json);
    }

    public static String pack(String json) {
        Deflater d = new Deflater();
        d.setInput(json.getBytes(StandardCharsets.UTF_8));
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return Base64.getEncoder().encodeToString(out.toByteArray()).replace('+', '*').replace('/', '-').replace('=', '_');
    }

    public static String hmacBase64(String key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
