package org.syncproducts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where results go: stdout of the command (capturable in tests through picocli's {@code setOut}),
 * as text lines or one JSON document.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final boolean json;
    private final boolean quiet;

    Output(CommandSpec spec, boolean json) {
        this(spec, json, false);
    }

    /** @param quiet {@code -q}: routine text results ({@link #notice}) are left out (cron mails any output) */
    Output(CommandSpec spec, boolean json, boolean quiet) {
        this.out = spec.commandLine().getOut();
        this.json = json;
        this.quiet = quiet;
    }

    boolean isJson() {
        return json;
    }

    /** Whether routine results are left out ({@code -q} with text output). */
    boolean isQuiet() {
        return quiet && !json;
    }

    /** A line that only reports routine success: left out under {@code -q}. */
    void notice(String text) {
        if (!isQuiet()) {
            line(text);
        }
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** One JSON document on a single line, for streams of documents ({@code monitor --watch}). */
    void jsonLine(Object document) {
        try {
            out.println(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result must be serializable", e);
        }
    }

    void json(Object document) {
        try {
            out.println(JSON.writeValueAsString(document));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result must be serializable", e);
        }
    }
}
