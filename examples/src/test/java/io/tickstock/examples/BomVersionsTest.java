package io.tickstock.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tickstock-bom has no parent (importing it must not import our build settings), so it repeats the
 * Netty and Jackson lines of the parent POM; this keeps the two in step.
 */
class BomVersionsTest {
    @Test
    void theBomPinsTheParentsNettyAndJacksonVersions() throws Exception {
        String parent = Files.readString(Path.of("../pom.xml"));
        String bom = Files.readString(Path.of("../tickstock-bom/pom.xml"));
        for (String property : new String[] {"netty.version", "jackson.version"}) {
            assertThat(value(bom, property)).as(property).isEqualTo(value(parent, property));
        }
    }

    private static String value(String pom, String property) {
        Matcher m = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as("%s is set", property).isTrue();
        return m.group(1).strip();
    }
}
