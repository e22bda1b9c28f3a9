package org.syncproducts.cli;

import java.io.PrintWriter;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The one error policy of the command line: every failure becomes one line on stderr saying what
 * happened and what to do, and an exit code from SPEC §9. Stack traces only with -v.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private final SyncProductsCommand top;

    ErrorReporter(SyncProductsCommand top) {
        this.top = top;
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        int exitCode = exitCode(exception);
        String message = exception instanceof SyncProductsException ? exception.getMessage() : describe(exception);
        if (exitCode == ExitCode.INTERNAL) {
            message = "internal error: " + message + (top.verbose() ? "" : " (run with -v for the stack trace)");
        }
        err.println("sync-products: " + message);
        if (top.verbose()) {
            exception.printStackTrace(err);
        }
        err.flush();
        if (top.json()) {
            // --json promises one document on stdout per invocation, failures included.
            new Output(commandLine.getCommandSpec(), true).json(errorDocument(message, exitCode));
        }
        return exitCode;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        // One line (SPEC §9): what was wrong, any suggestion, and where to look.
        String hint = "run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage";
        if (exception instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            hint = "did you mean " + String.join(" or ", unmatched.getSuggestions()) + "? " + hint;
        }
        String message = String.join(" ", exception.getMessage().strip().split("\\s*\\R\\s*"));
        err.println("sync-products: " + message + "; " + hint);
        err.flush();
        if (top.json()) {
            new Output(commandLine.getCommandSpec(), true).json(errorDocument(message, ExitCode.USAGE));
        }
        return ExitCode.USAGE;
    }

    private static java.util.Map<String, Object> errorDocument(String message, int exitCode) {
        java.util.Map<String, Object> document = new java.util.LinkedHashMap<>();
        document.put("error", message);
        document.put("exit_code", exitCode);
        return document;
    }

    static int exitCode(Throwable exception) {
        return ExitCode.of(exception);
    }

    private static String describe(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (exitCode(exception) == ExitCode.UNAVAILABLE) {
            return "lost the database connection: " + text;
        }
        return text;
    }
}
