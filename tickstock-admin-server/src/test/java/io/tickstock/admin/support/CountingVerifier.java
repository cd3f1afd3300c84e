package io.tickstock.admin.support;

import io.tickstock.admin.internal.auth.PasswordHasher;
import io.tickstock.admin.internal.auth.PasswordVerifier;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** PBKDF2 that records the iteration count of every hash it was asked to check. */
public final class CountingVerifier implements PasswordVerifier {
    /** Iterations of each check, in order. */
    public final List<Integer> checks = new CopyOnWriteArrayList<>();

    @Override
    public boolean verify(char[] password, String encodedHash) {
        checks.add(PasswordHasher.iterations(encodedHash));
        return PasswordVerifier.PBKDF2.verify(password, encodedHash);
    }

    public int count() {
        return checks.size();
    }
}
