package io.tickstock.core.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names of journal files: {@code <connection id>.<trading day>.<part>.capture.gz}, e.g.
 * {@code connection_1.2026-12-01.0.capture.gz}. The trading day is the US/Eastern date of the receive
 * time; parts count up from 0 within a day (a restart or a full file starts the next part).
 */
public final class CaptureFiles {
    /** Trading days are US/Eastern dates. */
    public static final ZoneId MARKET_ZONE = ZoneId.of("America/New_York");
    /** Every capture file ends so: {@code <connection id>.<trading day>.<part>.capture.gz}. */
    public static final String SUFFIX = ".capture.gz";
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_\\-]{1,64})\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d{1,6})"
            + Pattern.quote(SUFFIX));

    /** A journal file's parsed name. */
    public record Name(String connectionId, LocalDate day, int part, Path path) {
    }

    private CaptureFiles() {
    }

    /** The name of part {@code part} of a connection's journal for one trading day. */
    public static String fileName(String connectionId, LocalDate day, int part) {
        return connectionId + "." + day + "." + part + SUFFIX;
    }

    /** The connection, day and part of a capture file; empty when {@code p} is not named like one. */
    public static Optional<Name> parse(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Name(m.group(1), LocalDate.parse(m.group(2)), Integer.parseInt(m.group(3)), p));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Every journal file in {@code dir}, oldest day first, then connection, then part. */
    public static List<Name> list(Path dir) throws IOException {
        List<Name> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> parse(p).ifPresent(out::add));
        }
        out.sort(Comparator.comparing(Name::day).thenComparing(Name::connectionId).thenComparingInt(Name::part));
        return out;
    }

    /** The first part number not yet used for this connection and day. */
    public static int nextPart(Path dir, String connectionId, LocalDate day) throws IOException {
        int next = 0;
        for (Name n : list(dir)) {
            if (n.connectionId().equals(connectionId) && n.day().equals(day)) {
                next = Math.max(next, n.part() + 1);
            }
        }
        return next;
    }
}
