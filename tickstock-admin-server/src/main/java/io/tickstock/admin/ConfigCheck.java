package io.tickstock.admin;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.GatewayConfig;
import io.tickstock.core.internal.config.KeyCheck;
import io.tickstock.core.internal.config.Secrets;
import io.tickstock.core.config.Settings;
import io.tickstock.core.universe.UniverseResolver;
import io.tickstock.feed.massive.MassiveConfig;
import io.tickstock.redis.RedisConfig;
import io.tickstock.redis.cluster.ClusterConfig;
import io.tickstock.redis.node.NodeConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * Reads and validates every key the gateway uses before anything is started (emulator, Redis, server),
 * so that a bad value fails start-up with one message naming its key, and finds keys that are set but
 * never read (likely misspelt). Also prints the effective configuration for {@code --check-config}.
 */
final class ConfigCheck {
    /** Read by logback.xml (through {@code SettingProperty}); declared here so that it counts as known. */
    static final String LOG_DIR = "TICKSTOCK_LOG_DIR";

    private ConfigCheck() {
    }

    /** What the check found: the settings as the gateway will use them, and the keys set but unused. */
    record Result(Settings effective, boolean demo, List<KeyCheck.Unused> unused) {
    }

    /**
     * Parses every configuration the gateway would build from {@code settings}.
     *
     * @throws ConfigException naming the first bad key
     */
    static Result run(Settings settings) {
        requireWritable(AdminConfig.from(settings).auditLog());
        settings.get(LOG_DIR, "logs");
        settings.get(Settings.ENV_FILE_KEY, ".env");
        if (Scaling.healthSourceIsRedis(settings)) {
            RedisConfig.from(settings).orElseThrow(() -> new ConfigException(Scaling.HEALTH_SOURCE, "redis",
                    "local unless REDIS_URL is set (redis reads the nodes from Redis)"));
            if (ClusterConfig.from(settings).cluster()) {
                throw new ConfigException(Scaling.HEALTH_SOURCE, "redis",
                        "local with REDIS_CLUSTER=true (the nodes' health lives in a standalone Redis)");
            }
            settings.getPositiveDuration(Scaling.HEALTH_POLL, java.time.Duration.ofSeconds(1));
            return new Result(settings, false, KeyCheck.unused(settings, KeyCheck.GATEWAY_PREFIXES));
        }
        boolean demo = settings.get(MassiveConfig.API_KEY).isEmpty();
        Settings s = settings;
        if (demo) {
            settings.getLong(GatewayApp.DEMO_RATE, 2_000, 1, 10_000_000);
            // the emulator's port and key are chosen at start; any loopback URL validates the rest
            s = GatewayApp.demoSettings(settings, "demo-key-chosen-at-start", "ws://127.0.0.1:1/stocks");
        }
        GatewayConfig gateway = GatewayConfig.from(s);
        MassiveConfig.from(s);
        Optional<RedisConfig> redis = RedisConfig.from(s);
        ClusterConfig cluster = ClusterConfig.from(s);
        if (redis.isPresent() && !cluster.cluster()) {
            NodeConfig.from(s, gateway.connectionsMax());
        }
        UniverseResolver.fromSettings(s);
        return new Result(s, demo, KeyCheck.unused(settings, KeyCheck.GATEWAY_PREFIXES));
    }

    /** The audit log must be creatable: its nearest existing ancestor a writable directory. */
    private static void requireWritable(java.nio.file.Path audit) {
        if (java.nio.file.Files.isDirectory(audit)) {
            throw new ConfigException(AdminConfig.AUDIT_LOG, audit.toString(), "a file, not a directory");
        }
        for (java.nio.file.Path p = audit.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p)) {
                if (!java.nio.file.Files.isDirectory(p) || !java.nio.file.Files.isWritable(p)) {
                    throw new ConfigException(AdminConfig.AUDIT_LOG, audit.toString(),
                            "a file in a writable directory (" + p + " is not one)");
                }
                return;
            }
        }
    }

    /** One line per known key: its effective value (secrets masked, URLs redacted) or its default. */
    static void print(Result r, PrintStream out) {
        Settings s = r.effective();
        out.println("Effective configuration" + (r.demo() ? " (demo mode: no MASSIVE_API_KEY)" : "") + ":");
        for (String key : s.knownKeys()) {
            Optional<String> value = s.get(key);
            String shown;
            if (r.demo() && key.equals(MassiveConfig.URL)) {
                shown = "(demo: the built-in emulator, on a loopback port chosen at start)";
            } else if (r.demo() && key.equals(MassiveConfig.API_KEY)) {
                shown = "(demo: generated at start)";
            } else if (value.isPresent()) {
                shown = shown(key, value.get());
            } else {
                shown = s.defaultOf(key).map(d -> d + "  (default)").orElse("(unset)");
            }
            out.println("  " + key + "=" + shown);
        }
        r.unused().forEach(u -> out.println("Warning: " + u.message()));
    }

    private static String shown(String key, String value) {
        if (!Secrets.isSecretKey(key)) {
            return value.contains("://") ? Secrets.redactUrl(value) : value; // wss://user:pw@… is a secret too
        }
        String redacted = Secrets.redactUrl(value);
        return value.contains("://") && !redacted.equals(value) ? redacted
                : value.contains("://") && !value.contains("@") ? value : Secrets.REDACTED;
    }
}
