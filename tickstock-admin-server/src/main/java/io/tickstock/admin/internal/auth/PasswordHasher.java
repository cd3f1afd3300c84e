package io.tickstock.admin.internal.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PBKDF2-HMAC-SHA256 password hashes in the form
 * {@code pbkdf2_sha256$<iterations>$<base64 salt>$<base64 hash>} (the Django layout, so existing
 * tooling can produce them too).
 */
public final class PasswordHasher {
    public static final String PREFIX = "pbkdf2_sha256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Below this a stored hash is rejected as too weak to be meant seriously. */
    public static final int MIN_ITERATIONS = 1_000;
    /**
     * Above this a stored hash is rejected: every failed check costs one full derivation, so an
     * unbounded count would let one typo in the users file turn each login into minutes of CPU.
     */
    public static final int MAX_ITERATIONS = 5_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {
    }

    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    public static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] dk = derive(password, salt, iterations, HASH_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(dk);
    }

    /** Checks the format without verifying anything; the message never contains the hash. */
    public static void validate(String encoded) {
        parse(encoded);
    }

    /** The iteration count of a valid encoded hash. */
    public static int iterations(String encoded) {
        return parse(encoded).iterations;
    }

    /**
     * A well-formed hash with {@code iterations} that no password matches (random salt and hash):
     * checking an unknown user against it costs exactly what checking a known user costs.
     */
    public static String unmatchable(int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] dk = new byte[HASH_BITS / 8];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(dk);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(dk);
    }

    /** Constant-time check of {@code password} against an encoded hash. */
    public static boolean verify(char[] password, String encoded) {
        Parsed p = parse(encoded);
        byte[] dk = derive(password, p.salt, p.iterations, p.hash.length * 8);
        return MessageDigest.isEqual(dk, p.hash);
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("password hash must look like " + PREFIX
                    + "$<iterations>$<base64 salt>$<base64 hash>");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            // includes counts beyond int: "999999999999" is as wrong as "lots"
            throw new IllegalArgumentException("password hash iterations is not a number");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("password hash iterations must be from " + MIN_ITERATIONS
                    + " to " + MAX_ITERATIONS);
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            // PBKDF2 runs all its iterations once per 32-byte block of output: a longer hash would
            // multiply the cost of every check (and no longer cost what an unknown user's does)
            if (salt.length < 8 || salt.length > 64 || hash.length < 16 || hash.length > HASH_BITS / 8) {
                throw new IllegalArgumentException("password hash salt must be 8 to 64 bytes and hash 16 to "
                        + HASH_BITS / 8 + " bytes");
            }
            return new Parsed(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("password hash")) {
                throw e;
            }
            throw new IllegalArgumentException("password hash salt or hash is not valid base64");
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }
}
