package org.imsmooth.ops.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays Tencent IM for the IM → old system benchmark: signed after-send callbacks (half C2C, half
 * group messages of the demo's users and groups) posted open-loop at a fixed rate, so a slow answer
 * never lowers the offered load. Records each acknowledgement's latency (request sent → answer).
 */
final class CallbackLoad {

    /**
     * One client for the warm-up and the measured run: IM keeps its connections to the callback URL
     * open, so the measured run must not start by opening new ones (its first second was all slow).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String url;
    private final long sdkAppId;
    private final String token;
    private final int users;
    private final int groups;
    private final List<Long> ackNanos = Collections.synchronizedList(new ArrayList<>());
    /** Send time (ms since the first send) of every acknowledgement slower than SLOW_MS, to see whether they cluster. */
    private final List<Long> slowAt = Collections.synchronizedList(new ArrayList<>());
    private static final long SLOW_MS = 20;
    private volatile long firstSent;
    private final AtomicInteger failed = new AtomicInteger();

    CallbackLoad(int port, long sdkAppId, String token, int users, int groups) {
        this.url = "http://127.0.0.1:" + port + "/im/callback";
        this.sdkAppId = sdkAppId;
        this.token = token;
        this.users = users;
        this.groups = groups;
    }

    /**
     * Sends {@code count} callbacks at {@code perSecond}; returns when every answer arrived. Ids are unique
     * per run: MsgKey {@code runId-i}, group MsgSeq {@code seqBase + i}.
     */
    void run(String runId, int seqBase, int count, int perSecond) {
        Random random = new Random(7);
        List<CompletableFuture<Void>> pending = new ArrayList<>(count);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / perSecond;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean c2c = i % 2 == 0;
            int a = 1 + random.nextInt(users);
            int b = 1 + (a + random.nextInt(users - 1)) % users;
            String command = c2c ? "C2C.CallbackAfterSendMsg" : "Group.CallbackAfterSendMsg";
            String body = c2c ? c2c("u" + a, "u" + b, runId + "-" + i, i) : group("g" + (1 + random.nextInt(groups)), "u" + a, seqBase + i);
            pending.add(send(command, body));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }

    private CompletableFuture<Void> send(String command, String body) {
        long now = System.currentTimeMillis() / 1000;
        String query = "SdkAppid=" + sdkAppId + "&CallbackCommand=" + command + "&contenttype=json&ClientIP=127.0.0.1"
                + "&OptPlatform=Android&Sign=" + sign(now) + "&RequestTime=" + now;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "?" + query)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long sent = System.nanoTime();
        if (firstSent == 0) {
            firstSent = sent;
        }
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null || response.statusCode() != 200) {
                failed.incrementAndGet();
            } else {
                long took = System.nanoTime() - sent;
                ackNanos.add(took);
                if (took > SLOW_MS * 1_000_000) {
                    slowAt.add((sent - firstSent) / 1_000_000);
                }
            }
            return null;
        });
    }

    private static String c2c(String from, String to, String msgKey, int seq) {
        return "{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"From_Account\":\"" + from + "\",\"To_Account\":\"" + to
                + "\",\"MsgSeq\":" + seq + ",\"MsgRandom\":" + seq + ",\"MsgTime\":" + System.currentTimeMillis() / 1000
                + ",\"MsgKey\":\"" + msgKey + "\",\"SendMsgResult\":0,\"UnreadMsgNum\":1,"
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"bench " + msgKey + "\"}}]}";
    }

    private static String group(String groupId, String from, int seq) {
        long now = System.currentTimeMillis();
        return "{\"CallbackCommand\":\"Group.CallbackAfterSendMsg\",\"GroupId\":\"" + groupId + "\",\"Type\":\"Public\","
                + "\"From_Account\":\"" + from + "\",\"Operator_Account\":\"" + from + "\",\"Random\":" + seq + ",\"MsgSeq\":" + seq
                + ",\"MsgTime\":" + now / 1000 + ",\"EventTime\":" + now + ",\"OnlineOnlyFlag\":0,"
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"bench " + seq + "\"}}]}";
    }

    private String sign(long requestTime) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((token + requestTime).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When (ms after the first send) the acknowledgements slower than 20 ms were sent, in order. */
    List<Long> slowAcknowledgementsAt() {
        synchronized (slowAt) {
            return slowAt.stream().sorted().toList();
        }
    }

    int acknowledged() {
        return ackNanos.size();
    }

    int failed() {
        return failed.get();
    }

    /** The acknowledgement latency at quantile q (0..1), in ms. */
    double ackMillis(double q) {
        List<Long> sorted;
        synchronized (ackNanos) {
            sorted = new ArrayList<>(ackNanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }
}
