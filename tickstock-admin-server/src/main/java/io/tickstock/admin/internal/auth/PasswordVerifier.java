package io.tickstock.admin.internal.auth;

/**
 * Checks a password against an encoded hash. Production uses {@link #PBKDF2}; tests wrap it to count
 * how many slow checks a request costs.
 */
@FunctionalInterface
public interface PasswordVerifier {
    /** PBKDF2 as stored in the users file ({@link PasswordHasher#verify}). */
    PasswordVerifier PBKDF2 = PasswordHasher::verify;

    boolean verify(char[] password, String encodedHash);
}
