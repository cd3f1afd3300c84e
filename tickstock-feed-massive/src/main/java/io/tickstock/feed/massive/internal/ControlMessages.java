package io.tickstock.feed.massive.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The client's control messages to the Massive server ({@code {"action":…,"params":"…"}}), written by Jackson. */
final class ControlMessages {
    private static final JsonFactory JSON = new JsonFactory();

    private ControlMessages() {
    }

    /** The authentication message for {@code apiKey}. */
    static String auth(String apiKey) {
        return message("auth", apiKey);
    }

    /** A {@code subscribe} or {@code unsubscribe} message over comma-separated {@code params}. */
    static String subscription(String action, String params) {
        return message(action, params);
    }

    private static String message(String action, String params) {
        StringWriter out = new StringWriter(32 + params.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("action", action);
            g.writeStringField("params", params);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
