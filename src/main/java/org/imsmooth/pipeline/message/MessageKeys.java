package org.imsmooth.pipeline.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MsgSeq and MsgRandom derived from the old message id alone, so importing the same message again
 * (after a crash, a redelivery or a DLQ retry) sends the same (MsgSeq, MsgRandom, MsgTimeStamp)
 * triple and IM drops it as a duplicate. Two different 32-bit slices of SHA-256 make an accidental
 * collision of both within one conversation and one second practically impossible.
 * IM orders messages of the same second by MsgSeq, so a numeric old id that fits 32 bits is used as
 * the MsgSeq itself: same-second messages then keep the old system's order.
 */
public final class MessageKeys {

    /** The triple IM dedups on, and its MsgKey-like text form {@code <MsgSeq>_<MsgRandom>_<MsgTimeStamp>}. */
    public record Key(long msgSeq, long msgRandom, long msgTimeStamp) {
        public String msgKey() {
            return msgSeq + "_" + msgRandom + "_" + msgTimeStamp;
        }
    }

    private MessageKeys() {
    }

    /** {@code scope} keeps C2C and group message ids apart when both stages use this. */
    public static Key of(String scope, String oldMessageId, long msgTimeStamp) {
        byte[] hash = sha256(scope + ":" + oldMessageId);
        return new Key(numericSeq(oldMessageId, uint32(hash, 0)), uint32(hash, 4), msgTimeStamp);
    }

    private static long numericSeq(String oldMessageId, long fallback) {
        try {
            long id = Long.parseLong(oldMessageId.trim());
            return id >= 0 && id <= 0xFFFFFFFFL ? id : fallback;
        } catch (NumberFormatException notNumeric) {
            return fallback;
        }
    }

    private static long uint32(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static byte[] sha256(String text) {
        return SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A digest per thread: looking the algorithm up in the security providers cost more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    });
}
