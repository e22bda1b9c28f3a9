package org.syncproducts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.syncproducts.ExitCode;
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

    /**
     * A list result: every command's lists have this shape. {@code truncated} says that more
     * than {@code items} matched (a --limit cut the list).
     */
    record ListDocument(long total, List<?> items, boolean truncated, @JsonProperty("exit_code") int exitCode) {
    }

    /** One list document; {@code total} is how many matched, at least {@code items.size()}. */
    void list(List<?> items, long total) {
        list(items, total, ExitCode.OK);
    }

    /** One list document of a command that exits with {@code exitCode}. */
    void list(List<?> items, long total, int exitCode) {
        json(new ListDocument(Math.max(total, items.size()), items, total > items.size(), exitCode));
    }

    /** One JSON document on a single line, for streams of documents ({@code monitor --watch}). */
    void jsonLine(Object document, int exitCode) {
        try {
            out.println(JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(withExitCode(document, exitCode)));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result must be serializable", e);
        }
    }

    /** One JSON document of a command that exits 0. */
    void json(Object document) {
        json(document, ExitCode.OK);
    }

    /** One JSON document; a map gains {@code exit_code} (last) unless it carries one. */
    void json(Object document, int exitCode) {
        try {
            out.println(JSON.writeValueAsString(withExitCode(document, exitCode)));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result must be serializable", e);
        }
    }

    /** Every --json document says how the command exits, so a script needs only stdout. */
    private static Object withExitCode(Object document, int exitCode) {
        if (document instanceof Map<?, ?> map && !map.containsKey("exit_code")) {
            Map<Object, Object> copy = new LinkedHashMap<>(map);
            copy.put("exit_code", exitCode);
            return copy;
        }
        return document;
    }
}
