package org.imsmooth.ops.security;

import java.util.Locale;

import org.springframework.core.env.PropertyResolver;

/**
 * "Production" is decided by where IM is, not by a switch an operator may forget: any IM other than
 * the built-in sandbox on this service's own port ({@code im.region=sandbox} with no {@code im.base-url})
 * is a real app's IM, with real users' data behind the service.
 */
public final class ImTarget {

    private ImTarget() {
    }

    public static boolean builtInSandbox(PropertyResolver environment) {
        String baseUrl = environment.getProperty("im.base-url", "");
        String region = environment.getProperty("im.region", "sandbox");
        return baseUrl.isBlank() && "sandbox".equals(region.trim().toLowerCase(Locale.ROOT));
    }

    public static boolean production(PropertyResolver environment) {
        return !builtInSandbox(environment);
    }

    /** For the start-up line: where IM is, without credentials or query. */
    static String describe(PropertyResolver environment) {
        if (builtInSandbox(environment)) {
            return "the built-in IM sandbox";
        }
        String baseUrl = environment.getProperty("im.base-url", "");
        if (!baseUrl.isBlank()) {
            String cut = baseUrl.trim().replaceAll("[?#].*$", "").replaceAll("//[^/@]*@", "//");
            return "IM at " + LogSafe.value(cut);
        }
        return "Tencent IM region " + LogSafe.value(environment.getProperty("im.region", ""));
    }
}
