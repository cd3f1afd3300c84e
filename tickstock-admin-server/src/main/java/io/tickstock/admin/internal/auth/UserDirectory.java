package io.tickstock.admin.internal.auth;

import io.tickstock.core.config.ConfigException;
import io.tickstock.core.config.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users who may log in: one built-in admin (from {@code ADMIN_USERNAME} / {@code ADMIN_PASSWORD})
 * and the users of {@code ADMIN_USERS_FILE}. Thread-safe.
 *
 * <p>Every check that is not answered from the cache costs exactly one {@link PasswordVerifier}
 * call, whether the user exists or not: the built-in admin's password is hashed at start-up like a
 * file user's, and an unknown user is checked against an unmatchable hash of the same cost, so the
 * answer's timing does not tell which user names exist.
 *
 * <p>PBKDF2 is deliberately slow, and HTTP Basic clients send their password on every call, so a
 * successful check is remembered for a few minutes as a keyed SHA-256 of the password (never the
 * password itself), per known user: the cache holds at most one entry per user.
 */
public final class UserDirectory {
    public static final String USERS_FILE_KEY = "ADMIN_USERS_FILE";
    /** How long a verified password is answered without hashing it again. */
    public static final Duration VERIFIED_TTL = Duration.ofMinutes(5);
    private static final int MAX_USERS = 10_000;
    /** 10,000 users of about 130 bytes each fit many times over. */
    private static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    private record StoredUser(Role role, String hash) {
    }

    private record Verified(byte[] digest, Instant until) {
    }

    private final Map<String, StoredUser> users;
    private final boolean builtIn;
    private final String unknownUserHash;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final byte[] cacheSalt = new byte[16];
    private final Clock clock;
    private final PasswordVerifier verifier;

    /**
     * @param builtInName     name of the built-in admin; ignored when {@code builtInPassword} is empty
     * @param builtInPassword the built-in admin's password; empty for no built-in admin
     * @param fileUsers       users from the users file, by name (a file user shadows the built-in admin)
     */
    public UserDirectory(String builtInName, Optional<Secret> builtInPassword, Map<String, String[]> fileUsers,
                         Clock clock) {
        this(builtInName, builtInPassword, fileUsers, clock, PasswordVerifier.PBKDF2);
    }

    /** As above, checking passwords with {@code verifier}. */
    public UserDirectory(String builtInName, Optional<Secret> builtInPassword, Map<String, String[]> fileUsers,
                         Clock clock, PasswordVerifier verifier) {
        Map<String, StoredUser> all = new LinkedHashMap<>();
        fileUsers.forEach((name, roleAndHash) -> all.put(name, new StoredUser(Role.parse(roleAndHash[0]), roleAndHash[1])));
        int cost = all.values().stream().mapToInt(u -> PasswordHasher.iterations(u.hash()))
                .max().orElse(PasswordHasher.DEFAULT_ITERATIONS);
        this.builtIn = builtInPassword.isPresent() && !all.containsKey(builtInName);
        if (builtIn) {
            all.put(builtInName, new StoredUser(Role.ADMIN,
                    PasswordHasher.hash(builtInPassword.get().reveal().toCharArray(), cost)));
        }
        this.users = Map.copyOf(all);
        this.unknownUserHash = PasswordHasher.unmatchable(cost);
        this.clock = clock;
        this.verifier = verifier;
        new SecureRandom().nextBytes(cacheSalt);
    }

    /**
     * Reads a users file: one {@code username:role:pbkdf2_sha256$…} per line, blank lines and
     * {@code #} comments ignored. Any bad line fails with a {@link ConfigException} naming the line
     * number (never the hash).
     */
    public static Map<String, String[]> readUsersFile(Path file) {
        List<String> lines;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(USERS_FILE_KEY, file.toString(), "a users file of at most "
                        + MAX_FILE_BYTES / (1024 * 1024) + " MB");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(USERS_FILE_KEY, file.toString(), "a readable file (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String[]> users = new LinkedHashMap<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", 3);
            String where = file + " line " + n;
            if (parts.length != 3 || !parts[0].matches("[A-Za-z0-9_.@-]{1,64}")) {
                throw new ConfigException(USERS_FILE_KEY, where, "lines of the form username:role:pbkdf2_sha256$<iterations>$<salt>$<hash>");
            }
            try {
                Role.parse(parts[1]);
                PasswordHasher.validate(parts[2].strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(USERS_FILE_KEY, where, e.getMessage());
            }
            if (users.put(parts[0], new String[] {parts[1].strip(), parts[2].strip()}) != null) {
                throw new ConfigException(USERS_FILE_KEY, where, "each username at most once ('" + parts[0] + "' repeated)");
            }
            if (users.size() > MAX_USERS) {
                throw new ConfigException(USERS_FILE_KEY, file.toString(), "at most " + MAX_USERS + " users");
            }
        }
        return users;
    }

    /**
     * The principal for a correct username and password, else empty. Costs one password check
     * (known or unknown user alike) unless the same password was verified within {@link #VERIFIED_TTL}.
     */
    public Optional<Principal> authenticate(String username, String password) {
        if (username == null || password == null || username.isEmpty() || username.length() > 64
                || password.length() > 1024) {
            return Optional.empty();
        }
        StoredUser stored = users.get(username);
        byte[] digest = digest(username, password);
        Instant now = clock.instant();
        if (stored != null) {
            Verified v = verified.get(username);
            if (v != null && now.isBefore(v.until()) && MessageDigest.isEqual(v.digest(), digest)) {
                return Optional.of(new Principal(username, stored.role()));
            }
        }
        boolean ok = verifier.verify(password.toCharArray(), stored != null ? stored.hash() : unknownUserHash);
        if (!ok || stored == null) {
            return Optional.empty();
        }
        verified.put(username, new Verified(digest, now.plus(VERIFIED_TTL)));
        return Optional.of(new Principal(username, stored.role()));
    }

    /** Whether a built-in admin account exists. */
    public boolean hasBuiltInAdmin() {
        return builtIn;
    }

    public int size() {
        return users.size();
    }

    /** The iteration count every uncached check costs (the users file's highest; the default without one). */
    public int checkCost() {
        return PasswordHasher.iterations(unknownUserHash);
    }

    private byte[] digest(String username, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(cacheSalt);
            md.update(username.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            return md.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
