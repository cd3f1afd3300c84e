package io.tickstock.admin.internal.auth;

import java.util.concurrent.Semaphore;

/**
 * At most {@code permits} password checks at once, whoever asks: the per-client failure budget
 * bounds one address, this bounds many. A check that finds no free permit is not queued (that
 * would park request threads behind the attack) but refused with {@link Busy}.
 */
public final class BoundedVerifier implements PasswordVerifier {
    /** No permit was free; nothing was hashed. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("password checks busy", null, false, false);
        }
    }

    private final PasswordVerifier delegate;
    private final Semaphore permits;

    public BoundedVerifier(PasswordVerifier delegate, int permits) {
        this.delegate = delegate;
        this.permits = new Semaphore(permits);
    }

    /** Half the processors (at least one): password guessing can never take the whole machine. */
    public static int defaultPermits() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    @Override
    public boolean verify(char[] password, String encodedHash) {
        if (!permits.tryAcquire()) {
            throw new Busy();
        }
        try {
            return delegate.verify(password, encodedHash);
        } finally {
            permits.release();
        }
    }
}
