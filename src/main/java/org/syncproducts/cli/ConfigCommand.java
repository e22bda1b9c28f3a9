package org.syncproducts.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.config.ResolvedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The configuration a command would run with, and where each value came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show the configuration the other commands would use.",
        subcommands = ConfigCommand.Show.class)
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    SyncProductsCommand top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "config needs a command: show");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Print the resolved configuration (flags > environment > config file > defaults), each",
                    "value with its origin: flag, env NAME, file PATH:LINE or default. Secrets are never",
                    "printed: only (set) or (not set) and the variable that holds them. Then every configured",
                    "source with its type, priority and the config keys its type accepts.",
                    "Reads no database. Exit 0, or 78 with one line when the config is not valid."})
    static final class Show implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Config globalOptions;

        @ParentCommand
        ConfigCommand parent;

        @Spec
        CommandSpec spec;

        /** The --json document. */
        record Shown(String file, List<ResolvedConfig.Setting> settings, List<ResolvedConfig.Source> sources,
                     @JsonProperty("exit_code") int exitCode) {
        }

        @Override
        public Integer call() {
            ResolvedConfig resolved = parent.top.explainConfig();
            Output output = new Output(spec, parent.top.json());
            if (output.isJson()) {
                output.json(new Shown(resolved.file(), resolved.settings(), resolved.sources(), ExitCode.OK));
                return ExitCode.OK;
            }
            output.line("config file: " + (resolved.file() == null ? "none" : resolved.file()));
            for (ResolvedConfig.Setting setting : resolved.settings()) {
                output.line(String.format("%-31s  %-40s  %s", setting.key(), text(setting), setting.origin()));
            }
            output.line(resolved.sources().isEmpty() ? "sources: none (see sample-config/sync-products.yaml)"
                    : "sources:");
            for (ResolvedConfig.Source source : resolved.sources()) {
                output.line(String.format("  %-3s %-20s %-16s %s", source.priority() == null ? "-" : source.priority(),
                        source.name(), source.type() + (source.lookup() ? " (lookup)" : ""), source.origin()));
                output.line("      keys: " + String.join(", ", source.keys()));
                if (!source.secrets().isEmpty()) {
                    StringBuilder secrets = new StringBuilder("      secrets:");
                    source.secrets().forEach((variable, set) -> secrets.append(' ').append(variable)
                            .append(set ? " " + ResolvedConfig.SET : " " + ResolvedConfig.NOT_SET));
                    output.line(secrets.toString());
                }
            }
            return ExitCode.OK;
        }

        private static String text(ResolvedConfig.Setting setting) {
            Object value = setting.value();
            String text = value == null ? "-" : value instanceof List<?> list
                    ? (list.isEmpty() ? "[]" : String.join(", ", list.stream().map(String::valueOf).toList()))
                    : String.valueOf(value);
            return setting.variable() == null ? text : text + " in " + setting.variable();
        }
    }
}
