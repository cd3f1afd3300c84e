package io.tickstock.core.internal.config;

import java.util.Locale;

/** Which configuration keys hold secrets, and how a secret is shown when it must be mentioned. */
public final class Secrets {
    /** What a secret prints as in logs, responses and the page. */
    public static final String REDACTED = "****";

    private Secrets() {
    }

    /** Keys whose values never reach logs, responses, pages or exceptions. */
    public static boolean isSecretKey(String key) {
        String k = key.toUpperCase(Locale.ROOT);
        return k.contains("API_KEY") || k.contains("PASSWORD") || k.contains("SECRET")
                || k.contains("TOKEN") || k.equals("REDIS_URL");
    }

    /** A URL with any user-info password replaced, e.g. {@code redis://:****@host:6379}. */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return url;
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon >= 0 ? userInfo.substring(0, colon) : "";
        return url.substring(0, scheme + 3) + user + ":" + REDACTED + url.substring(at);
    }
}
