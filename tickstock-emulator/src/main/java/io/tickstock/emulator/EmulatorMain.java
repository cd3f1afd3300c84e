package io.tickstock.emulator;

import io.tickstock.core.internal.config.Durations;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone ({@code scripts/emulator}): prints the URL it serves and streams
 * until interrupted.
 */
public final class EmulatorMain {
    private static final String HELP = """
            Usage: scripts/emulator [options]
            A local Massive stocks WebSocket feed with deterministic synthetic data.

              --host <addr>               bind address (default 127.0.0.1)
              --port <p>                  port, 0 for any free one (default 0)
              --api-keys <k1,k2>          accepted API keys (default test-key)
              --events-per-second <n>     distinct events per second over all subscriptions;
                                          0 means as fast as the clients read (default 1000)
              --batch-size <n>            most events per frame (default 100)
              --max-frame-bytes <n>       largest data frame, below 1 MiB (default 262144)
              --max-connections <m>       connections per key; one more evicts the oldest (default 3)
              --seed <n>                  random seed; the same seed gives the same stream (default 42)
              --auth-timeout <d>          e.g. 10s; 0 disables auth_timeout (default 10s)
              --ack-mode <mode>           batched, single or mixed subscription acks (default mixed)
              --max-backlog-bytes <n>     outbound backlog per connection before it is reset as a
                                          slow consumer (default 8388608)
              --slow-consumer-kill <n>    reset a connection whose backlog exceeds n bytes (default off)
              --pong-delay <d>            answer pings this late, e.g. 30s (default 0)
              --wildcard-tickers <a,b>    tickers a '*' subscription streams (default 20 large caps)
              --known-tickers <a,b>       tickers with data besides the bundled universes', TK0000-
                                          TK99999 and the wildcard ones; others stay silent
              --compressed-day <d>        market time runs through whole trading days (04:00-20:00
                                          US/Eastern), each lasting d of real time, e.g. 10m; every
                                          ticker's q restarts with each day (default: wall clock)
              --replay <dir>              serve a capture (TICKSTOCK_CAPTURE_DIR of a gateway) instead of
                                          synthetic data; starts once a client has subscribed
              --speed <1x|10x|max>        replay pace (default 1x)
              --from <HH:MM>              replay from this US/Eastern time of the capture's first day
              --no-compression            refuse permessage-deflate
              --help                      this text

            Prints "Massive emulator listening on <url>" once it serves; stop it with Ctrl-C.
            """;

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        MassiveEmulator emulator;
        try {
            emulator = parse(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("emulator: " + e.getMessage());
            System.err.println("Try --help.");
            System.exit(2);
            return;
        }
        if (emulator == null) {
            return;
        }
        emulator.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            stopped.countDown();
        }, "emulator-shutdown"));
        System.out.println("Massive emulator listening on " + emulator.url());
        if (emulator.replay().isPresent()) {
            System.out.println("Replaying a capture; it begins once a client has subscribed");
        }
        System.out.flush();
        stopped.await();
    }

    /** The configured emulator (not started), or null when only help was asked for. */
    static MassiveEmulator parse(String[] args, PrintStream out) {
        MassiveEmulator.Builder b = MassiveEmulator.builder();
        Long killBytes = null;
        java.nio.file.Path replayDir = null;
        double speed = 1;
        java.time.LocalTime from = null;
        java.time.Duration pongDelay = null;
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            if (opt.equals("--help") || opt.equals("-h")) {
                out.print(HELP);
                return null;
            }
            if (opt.equals("--no-compression")) {
                b.compression(false);
                continue;
            }
            String value;
            int eq = opt.indexOf('=');
            if (eq > 0) {
                value = opt.substring(eq + 1);
                opt = opt.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(opt + " needs a value");
                }
                value = args[++i];
            }
            try {
                switch (opt) {
                    case "--host" -> b.host(value);
                    case "--port" -> b.port(Integer.parseInt(value));
                    case "--api-keys" -> b.apiKeys(list(value));
                    case "--events-per-second" -> b.eventsPerSecond(Long.parseLong(value));
                    case "--batch-size" -> b.batchSize(Integer.parseInt(value));
                    case "--max-frame-bytes" -> b.maxFrameBytes(Integer.parseInt(value));
                    case "--max-connections" -> b.maxConnectionsPerKey(Integer.parseInt(value));
                    case "--seed" -> b.seed(Long.parseLong(value));
                    case "--auth-timeout" -> b.authTimeout(Durations.parse(value));
                    case "--ack-mode" -> b.ackMode(AckMode.valueOf(value.toUpperCase(Locale.ROOT)));
                    case "--max-backlog-bytes" -> b.maxBacklogBytes(Integer.parseInt(value));
                    case "--slow-consumer-kill" -> killBytes = Long.parseLong(value);
                    case "--pong-delay" -> pongDelay = Durations.parse(value);
                    case "--wildcard-tickers" -> b.wildcardTickers(list(value));
                    case "--known-tickers" -> b.knownTickers(list(value));
                    case "--compressed-day" -> b.compressedDay(Durations.parse(value));
                    case "--replay" -> replayDir = java.nio.file.Path.of(value);
                    case "--speed" -> speed = ReplayOptions.parseSpeed(value);
                    case "--from" -> from = parseTime(value);
                    default -> throw new IllegalArgumentException("unknown option " + opt);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(opt + ": not a number: " + value);
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("unknown option")) {
                    throw e;
                }
                throw new IllegalArgumentException(opt + ": " + e.getMessage());
            }
        }
        if (replayDir != null) {
            b.replay(ReplayOptions.of(replayDir).speed(speed).from(from));
        } else if (from != null || speed != 1) {
            throw new IllegalArgumentException("--speed and --from need --replay <dir>");
        }
        MassiveEmulator emulator = b.build();
        if (killBytes != null) {
            emulator.faults().slowConsumerKillBytes(killBytes);
        }
        if (pongDelay != null) {
            emulator.faults().pongDelay(pongDelay);
        }
        return emulator;
    }

    private static java.time.LocalTime parseTime(String value) {
        try {
            return java.time.LocalTime.parse(value.length() == 4 ? "0" + value : value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a time of day like 09:30: " + value);
        }
    }

    private static List<String> list(String value) {
        List<String> items = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (items.isEmpty()) {
            throw new IllegalArgumentException("empty list");
        }
        return items;
    }
}
