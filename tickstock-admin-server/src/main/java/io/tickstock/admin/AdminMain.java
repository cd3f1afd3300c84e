package io.tickstock.admin;

import io.tickstock.admin.internal.auth.PasswordHasher;
import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Settings;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable main ({@code scripts/run}): starts the gateway and its dashboard, or runs a
 * subcommand ({@code --help}, {@code --version}, {@code hash-password}). SIGTERM / Ctrl-C close
 * everything gracefully (feeds closed, publisher flushed).
 */
public final class AdminMain {
    private AdminMain() {
    }

    /** Starts the gateway and its admin server from the environment and {@code .env}; stops on SIGTERM. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, System.in));
    }

    /** Runs and returns the exit code; returns only after shutdown when the server was started. */
    static int run(String[] args, PrintStream out, PrintStream err, InputStream in) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "--help", "-h", "help" -> {
                    out.print(usage(command()));
                    return 0;
                }
                case "--version", "-V", "version" -> {
                    out.println("tickstock " + version());
                    return 0;
                }
                case "--check-config" -> {
                    return checkConfig(out, err);
                }
                case "hash-password" -> {
                    return hashPassword(Arrays.copyOfRange(args, 1, args.length), out, err, in);
                }
                default -> {
                    err.println("Unknown argument '" + args[0] + "'.");
                    err.print(usage(command()));
                    return 64;
                }
            }
        }
        GatewayApp app;
        Settings settings = null;
        try {
            settings = Settings.load();
            app = GatewayApp.start(settings, out);
        } catch (ConfigException e) {
            return cannotStart(e.getMessage(), err, 78);
        } catch (RuntimeException | java.io.IOException e) {
            // e.g. the port is taken or Redis is unreachable; whatever the library put in the message,
            // no configured secret is printed
            String message = String.valueOf(e.getMessage());
            return cannotStart(settings == null ? message : redact(message, settings), err, 1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "tickstock-shutdown"));
        stopped.await();
        return 0;
    }

    /** One line to stderr and the same to the log (for whoever reads only the log file); no stack trace. */
    private static int cannotStart(String message, PrintStream err, int code) {
        err.println("Cannot start: " + message);
        org.slf4j.LoggerFactory.getLogger(AdminMain.class).error("Cannot start: {}", message);
        return code;
    }

    /** {@code --check-config}: validates, prints the effective configuration (secrets masked); 0 or 78. */
    static int checkConfig(PrintStream out, PrintStream err) {
        try {
            ConfigCheck.Result r = ConfigCheck.run(Settings.load());
            ConfigCheck.print(r, out);
            out.println("Configuration OK" + (r.unused().isEmpty() ? "" : " (" + r.unused().size() + " warning"
                    + (r.unused().size() == 1 ? "" : "s") + ")"));
            return 0;
        } catch (ConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return 78;
        }
    }

    /** {@code hash-password [--iterations N]}: reads the password (twice on a terminal, else one line of stdin). */
    static int hashPassword(String[] args, PrintStream out, PrintStream err, InputStream in) throws IOException {
        int iterations = PasswordHasher.DEFAULT_ITERATIONS;
        if (args.length == 2 && args[0].equals("--iterations")) {
            try {
                iterations = Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                iterations = -1;
            }
            if (iterations < PasswordHasher.MIN_ITERATIONS || iterations > PasswordHasher.MAX_ITERATIONS) {
                err.println("--iterations must be a number from " + PasswordHasher.MIN_ITERATIONS + " to "
                        + PasswordHasher.MAX_ITERATIONS);
                return 64;
            }
        } else if (args.length != 0) {
            err.println("usage: hash-password [--iterations N]");
            return 64;
        }
        char[] password;
        Console console = System.console();
        if (console != null && in == System.in) {
            password = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (password == null || !Arrays.equals(password, again)) {
                err.println("The passwords differ.");
                return 1;
            }
        } else {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password.length < 8) {
            err.println("The password must have at least 8 characters.");
            return 1;
        }
        out.println(PasswordHasher.hash(password, iterations));
        Arrays.fill(password, '\0');
        return 0;
    }

    /** {@code text} with the value of every secret key of {@code settings} replaced by ****. */
    static String redact(String text, Settings settings) {
        String out = text;
        for (String key : java.util.List.of("MASSIVE_API_KEY", "ADMIN_PASSWORD", "REDIS_URL")) {
            String v = settings.get(key).orElse(null);
            if (v != null && v.length() >= 4) {
                out = out.replace(v, io.tickstock.core.internal.config.Secrets.REDACTED);
            }
        }
        return out;
    }

    /**
     * How this process was started, for the usage text: {@code java -jar <the jar>} (relative to the
     * working directory when under it), or {@code java -cp … io.tickstock.admin.AdminMain} from classes.
     */
    static String command() {
        try {
            java.nio.file.Path where = java.nio.file.Path.of(
                    AdminMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (where.toString().endsWith(".jar")) {
                java.nio.file.Path cwd = java.nio.file.Path.of("").toAbsolutePath();
                return "java -jar " + (where.startsWith(cwd) ? cwd.relativize(where) : where);
            }
        } catch (RuntimeException | java.net.URISyntaxException e) {
            // no code source (unusual class loader): the generic form below
        }
        return "java -cp <classpath> " + AdminMain.class.getName();
    }

    static String usage(String command) {
        return ("Usage: " + command + """
                 [--help | --version | --check-config | hash-password [--iterations N]]
                       (scripts/run builds this jar when needed and runs it with the same arguments)

                  (no argument)   start the gateway and the admin dashboard; configuration from system
                                  properties, environment and ./.env (see docs/configuration.md and
                                  docs/admin-guide.md). Without MASSIVE_API_KEY: demo mode with synthetic data.
                  --help          this text
                  --version       print the version
                  --check-config  validate the configuration, print it (secrets masked) and exit:
                                  0 when it is valid, 78 when not
                  hash-password   read a password (stdin or terminal) and print the
                                  pbkdf2_sha256$<iterations>$<salt>$<hash> string for ADMIN_USERS_FILE,
                                  e.g.  scripts/run hash-password   then add  alice:admin:<printed string>

                Stop with Ctrl-C or SIGTERM: feeds are closed and the Redis publisher is flushed.
                """);
    }

    static String version() {
        try (InputStream in = AdminMain.class.getResourceAsStream("/io/tickstock/admin/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "unknown";
    }
}
