package org.imsmooth.im;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tencent IM REST domains by region (reference section 0), plus the built-in sandbox.
 * Backup domains are reachable through {@code im.base-url}.
 */
public enum ImRegion {
    SANDBOX(null),
    CHINA("console.tim.qq.com"),
    SINGAPORE("adminapisgp.im.qcloud.com"),
    SEOUL("adminapikr.im.qcloud.com", "korea"),
    TOKYO("adminapijpn.im.qcloud.com", "japan"),
    FRANKFURT("adminapiger.im.qcloud.com", "germany"),
    MUMBAI("adminapiind.im.qcloud.com", "india"),
    SILICON_VALLEY("adminapiusa.im.qcloud.com", "usa", "us"),
    JAKARTA("adminapiidn.im.qcloud.com", "indonesia"),
    RIYADH("adminapiksa.im.qcloud.com", "saudi-arabia");

    private final String domain;
    private final List<String> aliases;

    ImRegion(String domain, String... aliases) {
        this.domain = domain;
        this.aliases = List.of(aliases);
    }

    /** The REST domain; null for the sandbox, whose address is only known at runtime. */
    public String domain() {
        return domain;
    }

    /** Accepts the constant name in any case with '-' or '_' (silicon-valley, SILICON_VALLEY) or an alias (usa). */
    public static ImRegion parse(String value) {
        if (value == null || value.isBlank()) {
            return SANDBOX;
        }
        String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values())
                .filter(r -> r.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(v) || r.aliases.contains(v))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown im.region '" + value + "'; known: "
                        + Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()
                        + ", or set im.base-url"));
    }
}
