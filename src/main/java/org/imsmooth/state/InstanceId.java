package org.imsmooth.state;

import java.net.InetAddress;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This instance's name among the instances sharing one state database and broker: {@code instance.id},
 * else the host name and a short random suffix (two instances on one host stay apart). Shown in
 * {@code /api/migration/status} and stored with what this instance decides for all (the verdict).
 */
@Component
public class InstanceId {

    private final String id;

    public InstanceId(@Value("${instance.id:}") String configured) {
        this.id = configured == null || configured.isBlank() ? hostName() + "-" + UUID.randomUUID().toString().substring(0, 8)
                : configured.trim();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "instance";
        }
    }

    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
