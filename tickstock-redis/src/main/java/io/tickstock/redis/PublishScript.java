package io.tickstock.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The server-side script that publishes a whole batch in one command: {@code EVALSHA <sha> 0 <channel>
 * <message 1> … <message n>} runs {@code PUBLISH channel message} for each message in order and answers
 * with the number published, so a batch costs Lettuce one command and one reply instead of one per tick.
 * The script is loaded once per connection with {@code SCRIPT LOAD}; its SHA1 is computed here so batches
 * never wait for that reply.
 */
final class PublishScript {
    /** The Lua source; ARGV[1] is the channel, the rest are the messages. */
    static final String SOURCE = "local c = ARGV[1]\n"
            + "for i = 2, #ARGV do\n"
            + "  redis.call('PUBLISH', c, ARGV[i])\n"
            + "end\n"
            + "return #ARGV - 1\n";
    /** The SHA1 Redis names the script by (lower-case hex). */
    static final String SHA = sha1(SOURCE);
    /** Arguments before the messages: EVALSHA, the SHA, the key count 0, the channel. */
    static final int HEADER_ARGS = 4;

    private PublishScript() {
    }

    /** {@code $7 EVALSHA $40 <sha> $1 0 $<n> <channel>} in RESP (the array length is written per batch). */
    static byte[] header(byte[] channel) {
        return RespCommand.withLastBulk("$7\r\nEVALSHA\r\n$40\r\n" + SHA + "\r\n$1\r\n0\r\n", channel);
    }

    /** Redis no longer has the script (restarted, {@code SCRIPT FLUSH}): load it again and resend. */
    static boolean isMissing(String error) {
        return error != null && error.startsWith("NOSCRIPT");
    }

    /**
     * Redis refused to run the script at all (an ACL without {@code EVALSHA}, or the command renamed
     * away): nothing of the batch ran, so it can be sent again as plain {@code PUBLISH}es. An error from
     * inside the script (e.g. a channel the ACL denies) does not count: PUBLISHes before it may have run.
     */
    static boolean isRefused(String error) {
        return error != null && (error.startsWith("NOPERM") || error.startsWith("ERR unknown command"))
                && error.toLowerCase(Locale.ROOT).contains("'evalsha'");
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
