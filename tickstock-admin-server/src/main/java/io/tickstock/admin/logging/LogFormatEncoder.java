package io.tickstock.admin.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import java.util.List;
import java.util.Locale;

/**
 * The log encoder chosen by {@code TICKSTOCK_LOG_FORMAT}: {@code text} (the default, {@link #setPattern
 * pattern} lines) or {@code json}: one JSON object per line with the formatted message (arguments filled
 * in) and structured fields — timestamp (epoch ms), level, thread, logger, MDC, key/value pairs and the
 * throwable — from logback's own {@link JsonEncoder}. An unknown format is reported and falls back to
 * text; the gateway refuses it at start-up ({@code AdminConfig}).
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
    /** The configuration key ({@link LogFormat#KEY}). */
    public static final String KEY = LogFormat.KEY;
    /** The accepted values ({@link LogFormat#FORMATS}). */
    public static final List<String> FORMATS = LogFormat.FORMATS;

    private String format = "text";
    private String pattern = "%d %-5level [%thread] %logger - %msg%n";
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format == null ? "text" : format.trim().toLowerCase(Locale.ROOT);
    }

    /** The line pattern of the {@code text} format. */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        if (!FORMATS.contains(format)) {
            addError(KEY + "=" + format + " is not one of " + FORMATS + "; using text");
            format = "text";
        }
        if (format.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setWithFormattedMessage(true); // the message as a reader sees it, not a template
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithContext(false);         // logback's context properties: noise on every line
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            delegate = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    /** The format in use once started: {@code text} or {@code json}. */
    public String format() {
        return format;
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
