package io.tickstock.core.internal.log;

/**
 * Makes text that came from outside (a feed's status message, an error it sent) safe to log and to
 * show: control characters are escaped, so a newline cannot forge a log line and an escape sequence
 * cannot drive a terminal, and the length is capped, so a long message costs bounded log space.
 */
public final class SafeText {
    /** Default cap for feed-originated text. */
    public static final int DEFAULT_MAX_CHARS = 200;

    private SafeText() {
    }

    /** {@link #of(String, int)} with {@link #DEFAULT_MAX_CHARS}. */
    public static String of(String text) {
        return of(text, DEFAULT_MAX_CHARS);
    }

    /**
     * The text with {@code \n}, {@code \r}, {@code \t} written as those two-character escapes, every
     * other control, line-separator or bidirectional-override character as {@code \}{@code uXXXX}, and
     * anything beyond {@code maxChars} replaced by {@code …(+N chars)}. Null stays null.
     */
    public static String of(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        int end = Math.min(text.length(), maxChars);
        if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        StringBuilder b = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                if (b == null) {
                    b = new StringBuilder(end + 16).append(text, 0, i);
                }
                switch (c) {
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(String.format("\\u%04x", (int) c));
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        String out = b == null ? text.substring(0, end) : b.toString();
        return end < text.length() ? out + "…(+" + (text.length() - end) + " chars)" : out;
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
    }
}
