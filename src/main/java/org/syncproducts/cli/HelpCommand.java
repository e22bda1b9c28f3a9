package org.syncproducts.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND...]}: the usage of the command named by the whole path, so
 * {@code help jobs show} shows {@code jobs show} (picocli's own help command stops at the first
 * word).
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of a command: 'help jobs show' = 'jobs show --help'.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. 'jobs show'.")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private Help.ColorScheme colorScheme;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out,
                     PrintWriter err) {
        this.self = helpCommandLine;
        this.colorScheme = colorScheme;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : path) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new SyncProductsException(ExitCode.USAGE, "no command '" + String.join(" ", path)
                        + "'; run 'sync-products help' for the list");
            }
            target = sub;
        }
        target.usage(self.getOut(), colorScheme);
    }
}
