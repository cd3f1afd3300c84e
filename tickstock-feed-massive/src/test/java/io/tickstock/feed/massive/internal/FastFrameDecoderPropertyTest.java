package io.tickstock.feed.massive.internal;

import io.tickstock.core.event.EventType;
import io.tickstock.core.event.MarketEvent;
import io.tickstock.emulator.SyntheticFrames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-level fast path plus its Jackson fallback must give exactly what the Jackson path alone
 * gives: the same events (equals, in order, statuses interleaved), the same outcome and the same
 * counter deltas, for generated frames (fields shuffled, optional fields present or absent, extreme
 * and odd numbers, escaped and non-ASCII symbols, truncation, mixed types, status messages) and for
 * hostile frames. Seeded, so a failure names a reproducible case.
 */
class FastFrameDecoderPropertyTest {
    private static final long NOW = 1_767_364_200_123L;
    private static final int CASES = 30_000;

    /** One decoder and what it produced. */
    private static final class Run implements MassiveFrameDecoder.Sink {
        final MassiveFrameDecoder decoder;
        final List<Object> out = new ArrayList<>();

        Run(boolean fast) {
            decoder = new MassiveFrameDecoder("connection_1", fast, () -> NOW);
        }

        @Override
        public void onEvent(MarketEvent event) {
            out.add(event);
        }

        @Override
        public void onStatus(String status, String message) {
            out.add("status:" + status + "|" + message);
        }

        MassiveFrameDecoder.Outcome decode(byte[] frame) {
            out.clear();
            return decoder.decode(frame, 0, frame.length, this);
        }

        List<Object> counters() {
            return List.of(decoder.frames(), decoder.bytes(), decoder.events(), decoder.unknownEvents(),
                    decoder.unknownFields(), decoder.malformedFrames(), decoder.invalidEvents(),
                    String.valueOf(decoder.lastInvalidReason()), String.valueOf(decoder.lastUnknownEvent()));
        }
    }

    private final Run fast = new Run(true);
    private final Run jackson = new Run(false);

    private void assertSame(String frame) {
        assertSame(frame.getBytes(StandardCharsets.UTF_8), frame);
    }

    private void assertSame(byte[] bytes, String label) {
        MassiveFrameDecoder.Outcome expected = jackson.decode(bytes);
        MassiveFrameDecoder.Outcome actual = fast.decode(bytes);
        assertThat(actual).as("outcome of %s", label).isEqualTo(expected);
        assertThat(fast.out).as("events of %s", label).isEqualTo(jackson.out);
        assertThat(fast.counters()).as("counters after %s", label).isEqualTo(jackson.counters());
    }

    @Test
    void generatedFramesDecodeExactlyAsTheJacksonPathDoes() {
        Random random = new Random(20261201L);
        for (int i = 0; i < CASES; i++) {
            assertSame(new FrameGenerator(random).frame());
        }
        // the fast path must really have carried the regular frames, not declined them all
        assertThat(fast.decoder.fastFrames()).isGreaterThan(CASES / 8);
        assertThat(jackson.decoder.fastFrames()).isZero();
    }

    @Test
    void theEmulatorsFramesAllTakeTheFastPathAndDecodeAsTheJacksonPathDoes() {
        List<String> tickers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            tickers.add(String.format("TK%04d", i));
        }
        List<byte[]> frames = SyntheticFrames.frames(7, tickers,
                List.of(EventType.T, EventType.Q, EventType.A, EventType.AM), 200, 200);
        for (byte[] f : frames) {
            assertSame(f, new String(f, StandardCharsets.UTF_8));
        }
        assertThat(fast.decoder.fastFrames()).isEqualTo(frames.size());
        assertThat(fast.decoder.events()).isEqualTo(200L * frames.size());
        assertThat(fast.decoder.symbolCacheEvictions()).isZero();
        assertThat(fast.decoder.conditionSetsNotCached()).isZero();
    }

    @Test
    void hostileFramesDecodeExactlyAsTheJacksonPathDoes() {
        String huge = "X".repeat(100_000);
        String ok = "{\"ev\":\"T\",\"sym\":\"OK\",\"p\":1.25,\"s\":10,\"t\":1}";
        List<String> items = List.of(
                "{\"ev\":\"T\",\"sym\":\"B1\",\"p\":\"NaN\",\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B2\",\"p\":null,\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B3\",\"p\":{\"x\":[1,{\"y\":2}]},\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B4\",\"p\":-1.5,\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B5\",\"p\":1e400,\"s\":10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B6\",\"p\":1,\"s\":-10,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B7\",\"p\":1,\"s\":\"10\",\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B8\",\"p\":1,\"s\":[10],\"t\":1}",
                "{\"ev\":\"Q\",\"sym\":\"B9\",\"bp\":\"NaN\",\"ap\":2,\"t\":1}",
                "{\"ev\":\"Q\",\"sym\":\"B10\",\"bp\":1,\"ap\":2,\"bs\":-3,\"t\":1}",
                "{\"ev\":\"A\",\"sym\":\"B11\",\"v\":1,\"o\":1,\"c\":-1,\"h\":1,\"l\":1,\"s\":1,\"e\":2}",
                "{\"ev\":\"AM\",\"sym\":\"B12\",\"v\":1,\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"vw\":\"x\",\"s\":1,\"e\":2}",
                "{\"ev\":\"LULD\",\"T\":\"B13\",\"h\":-2,\"l\":1,\"t\":1}",
                "{\"ev\":\"FMV\",\"sym\":\"B14\",\"fmv\":true,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"B15\",\"p\":1,\"s\":1,\"t\":-5}",
                "{\"ev\":\"T\",\"sym\":\"B16\",\"p\":1,\"s\":1,\"t\":1,\"q\":-1}",
                "{\"ev\":\"T\",\"sym\":\"" + huge + "\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"ABCDEFGHIJK\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"AB\\nC\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"AB\\u0000\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A B\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"AÉ\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"i\":\"" + "x".repeat(100_000) + "\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"i\":" + "9".repeat(65) + ",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"i\":\"12\\n34\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"i\":\"" + "9".repeat(64) + "\",\"p\":1,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":99999999999999999999999,\"t\":1,\"q\":1}",
                "{\"ev\":\"T\",\"sym\":\"B\",\"p\":1,\"s\":1,\"t\":1,\"q\":1.0}",
                "{\"ev\":\"XX\",\"sym\":\"" + "Y".repeat(50) + "\",\"p\":\"NaN\"}",
                "{\"ev\":\"T\",\"sym\":\"MSFT\",\"p\":1.5,\"s\":10,\"new\":{\"x\":[1]},\"other\":\"y\",\"ds\":\"10.5\",\"trfi\":3,\"trft\":5,\"q\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":1,\"t\":1,\"c\":[2147483648]}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":1,\"t\":1,\"c\":[" + "1,".repeat(80) + "1]}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":1,\"t\":1,\"status\":\"x\",\"i\":\"7\"}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":-0,\"s\":1,\"t\":1}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":-0.0,\"s\":-0,\"t\":1}",
                "{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to: T.MSFT\"}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":1,\"t\":1,\"" + "k".repeat(60_000) + "\":1}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":1,\"t\":1,\"k\":\"" + "v".repeat(60_000) + "\"}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1,\"s\":1,\"t\":1,\"k\":1." + "0".repeat(2_000) + "}",
                "{\"ev\":\"T\",\"sym\":\"A\",\"p\":1." + "5".repeat(1_500) + ",\"s\":1,\"t\":1}",
                "{\"sym\":\"NOEV\"}",
                "{}",
                "17",
                "[1,2]",
                "\"s\"",
                "null");
        StringBuilder all = new StringBuilder("[").append(ok);
        for (String item : items) {
            assertSame("[" + item + "]");
            assertSame("[" + ok + "," + item + "," + ok + "]");
            all.append(',').append(item).append(',').append(ok);
        }
        assertSame(all.append(']').toString());
        for (String frame : List.of("", " ", "[", "]", "[]", " [ ] ", "[] x", "{}", "42", "not json", "[{]", "[{}",
                "[" + ok, "[" + ok + ",", "[" + ok + "]]", "[" + ok + "] " + ok, ok, "\uFEFF[" + ok + "]",
                "[" + ok + " " + ok + "]", "[" + ok.replace(":", " : ").replace(",", " ,\n\t") + "]")) {
            assertSame(frame);
        }
    }

    /** Random frames: mostly regular T, Q, A, AM events, with every kind of oddity mixed in. */
    private static final class FrameGenerator {
        private static final String[] EVENT_TYPES = {"T", "Q", "A", "AM", "T", "Q", "LULD", "FMV", "XYZ", "status"};
        private final Random r;

        FrameGenerator(Random r) {
            this.r = r;
        }

        String frame() {
            int n = r.nextInt(8);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(item());
            }
            String ws = r.nextInt(10) == 0 ? " \n" : "";
            String text = "[" + ws + String.join("," + ws, items) + ws + "]";
            int shape = r.nextInt(40);
            if (shape == 0 && text.length() > 1) {
                return text.substring(0, r.nextInt(text.length())); // truncated
            }
            if (shape == 1) {
                return text + (r.nextBoolean() ? " " : "x");
            }
            if (shape == 2 && n > 0) {
                return items.get(0); // a lone object
            }
            return text;
        }

        private String item() {
            int kind = r.nextInt(60);
            if (kind == 0) {
                return pick("17", "\"x\"", "null", "[1]", "true");
            }
            String ev = EVENT_TYPES[r.nextInt(EVENT_TYPES.length)];
            List<String> fields = new ArrayList<>();
            if (r.nextInt(30) != 0) {
                fields.add(key("ev") + ":" + str(r.nextInt(40) == 0 ? oddText() : ev));
            }
            if (ev.equals("status")) {
                fields.add(key("status") + ":" + str(pick("success", "auth_success", "connected")));
                fields.add(key("message") + ":" + str(pick("ok", "subscribed to: T.X", "a \\\"quoted\\\" one")));
            } else {
                String symbolKey = ev.equals("LULD") || r.nextInt(20) == 0 ? "T" : "sym";
                if (r.nextInt(40) != 0) {
                    fields.add(key(symbolKey) + ":" + str(symbol()));
                }
                switch (ev) {
                    case "T" -> {
                        required(fields, "p", price(), "s", count(), "t", count());
                        optional(fields, "i", r.nextBoolean() ? str(digits(1 + r.nextInt(20))) : tradeIdOdd());
                        optional(fields, "x", count());
                        optional(fields, "c", codes());
                        optional(fields, "q", count());
                        optional(fields, "z", count());
                        optional(fields, "trfi", count());
                        optional(fields, "trft", count());
                        optional(fields, "ds", str("10.5"));
                    }
                    case "Q" -> {
                        required(fields, "bp", price(), "ap", price(), "t", count());
                        optional(fields, "bx", count());
                        optional(fields, "ax", count());
                        optional(fields, "bs", count());
                        optional(fields, "as", count());
                        optional(fields, "c", count());
                        optional(fields, "i", codes());
                        optional(fields, "q", count());
                        optional(fields, "z", count());
                    }
                    case "A", "AM" -> {
                        required(fields, "o", price(), "c", price(), "h", price());
                        required(fields, "l", price(), "v", count(), "s", count());
                        required(fields, "e", count(), "av", count(), "op", price());
                        optional(fields, "vw", price());
                        optional(fields, "a", price());
                        optional(fields, "z", count());
                        optional(fields, "otc", pick("true", "false", "1", "null"));
                    }
                    case "LULD" -> {
                        required(fields, "h", price(), "l", price(), "t", count());
                        optional(fields, "i", codes());
                        optional(fields, "q", count());
                    }
                    case "FMV" -> required(fields, "fmv", price(), "t", count(), "q", count());
                    default -> required(fields, "p", price(), "x", count(), "zz", str("q"));
                }
            }
            if (r.nextInt(15) == 0) {
                fields.add(key(pick("new", "foo", "ZZZZZZZZ", "statuz", "sequence", "f\\u0041", "é")) + ":"
                        + pick("1", "\"v\"", "null", "true", "[1,2]", "{\"a\":{}}", "-3", "1.5e3"));
            }
            if (r.nextInt(25) == 0 && !fields.isEmpty()) {
                fields.add(fields.get(r.nextInt(fields.size()))); // a duplicate key
            }
            if (r.nextInt(8) != 0) {
                Collections.shuffle(fields, r);
            }
            String sep = r.nextInt(12) == 0 ? pick(" , ", ",\n", "\t,") : ",";
            return "{" + String.join(sep, fields) + "}";
        }

        private void required(List<String> fields, String k1, String v1, String k2, String v2, String k3, String v3) {
            for (String[] kv : new String[][] {{k1, v1}, {k2, v2}, {k3, v3}}) {
                if (r.nextInt(30) != 0) {
                    fields.add(key(kv[0]) + (r.nextInt(30) == 0 ? " : " : ":") + kv[1]);
                }
            }
        }

        private void optional(List<String> fields, String k, String v) {
            if (r.nextBoolean()) {
                fields.add(key(k) + ":" + v);
            }
        }

        private String key(String k) {
            return r.nextInt(200) == 0 ? "\"" + k.charAt(0) + "\\u00" + Integer.toHexString(k.length() > 1 ? k.charAt(1) : 'x') + "\"" : "\"" + k + "\"";
        }

        private static String str(String s) {
            return "\"" + s + "\"";
        }

        private String pick(String... options) {
            return options[r.nextInt(options.length)];
        }

        private String symbol() {
            int kind = r.nextInt(30);
            if (kind == 0) {
                return oddText();
            }
            StringBuilder b = new StringBuilder();
            int n = 1 + r.nextInt(kind == 1 ? 14 : 5);
            for (int i = 0; i < n; i++) {
                b.append((char) ('A' + r.nextInt(26)));
            }
            if (kind == 2) {
                b.append(pick(".A", ":X", "-", "/B"));
            }
            return b.toString();
        }

        private String oddText() {
            return pick("", "A B", "A\\\"B", "A\\\\B", "\\u0041BC", "AÉ", "日本", "A\\nB", "A\\tB", "T", "status",
                    "ABCDEFGHIJK", "ABCDEFGHIJ", " ", "~!@#");
        }

        private String tradeIdOdd() {
            return pick(digits(1 + r.nextInt(70)), "\"\"", "\"a b\"", "1.5", "-12", "\"x\\\"y\"", "null", "[1]",
                    "\"" + "7".repeat(64) + "\"", "\"" + "7".repeat(65) + "\"", "0", "00");
        }

        private String codes() {
            int kind = r.nextInt(20);
            if (kind == 0) {
                return pick("[]", "[1.5]", "[-1]", "[\"a\"]", "[1,[2]]", "[2147483647]", "[2147483648]", "[ 1 , 2 ]",
                        "[1,]", "null", "3");
            }
            int n = kind < 10 ? 1 : 1 + r.nextInt(kind == 19 ? 70 : 4);
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(r.nextInt(kind < 15 ? 60 : 400));
            }
            return b.append(']').toString();
        }

        private String digits(int n) {
            StringBuilder b = new StringBuilder();
            b.append((char) ('1' + r.nextInt(9)));
            for (int i = 1; i < n; i++) {
                b.append((char) ('0' + r.nextInt(10)));
            }
            return b.toString();
        }

        private String count() {
            int kind = r.nextInt(40);
            return switch (kind) {
                case 0 -> pick("null", "-1", "-0", "0", "1.0", "1.9", "1e3", "1E+2", "9.3e18", "1e19",
                        "9223372036854775807", "9223372036854775808", "99999999999999999999999", "00", "01",
                        "\"5\"", "true", "[1]", "{}", "0.5e-3", "123456789012345678", "1234567890123456789");
                case 1 -> digits(1 + r.nextInt(25));
                case 2 -> String.valueOf(r.nextLong() & Long.MAX_VALUE);
                default -> String.valueOf(kind < 20 ? 1_767_364_200_000L + r.nextInt(1_000_000_000) : r.nextInt(1_000_000));
            };
        }

        private String price() {
            int kind = r.nextInt(50);
            return switch (kind) {
                case 0 -> pick("null", "-1.5", "-0", "-0.0", "0", "0.0", "1e400", "\"NaN\"", "NaN", "Infinity",
                        "1.", ".5", "01.5", "1.5e", "1e-400", "2.2250738585072014E-308", "4.9e-324",
                        "1.7976931348623157e308", "9007199254740993", "9007199254740993.0", "0.1e1", "5e-1",
                        "123.456E+2", "{\"a\":1}", "[1.5]", "true", "1.5.3", "1x");
                case 1 -> digits(15 + r.nextInt(12)) + "." + digits(1 + r.nextInt(12));
                case 2 -> "0." + "0".repeat(r.nextInt(25)) + digits(1 + r.nextInt(20));
                case 3 -> Double.toString(Math.abs(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20)));
                case 4 -> String.valueOf(Math.abs(Double.longBitsToDouble(r.nextLong())));
                case 5 -> digits(1 + r.nextInt(18));
                case 6 -> digits(1 + r.nextInt(9)) + "." + digits(1 + r.nextInt(23));
                default -> r.nextInt(5000) + "." + String.format("%0" + (1 + r.nextInt(4)) + "d", r.nextInt(10_000) % (int) Math.pow(10, 1 + r.nextInt(4)));
            };
        }
    }
}
