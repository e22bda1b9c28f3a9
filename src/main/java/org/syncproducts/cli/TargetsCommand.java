package org.syncproducts.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.store.Database;
import org.syncproducts.store.TargetRepository;
import org.syncproducts.targets.TargetFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The target barcode list (APL): the codes that must have product data. */
@Command(name = "targets", mixinStandardHelpOptions = true,
        description = "Import, list and count the target barcodes (the Approved Product List).",
        subcommands = {TargetsCommand.Import.class, TargetsCommand.ListTargets.class, TargetsCommand.Count.class})
final class TargetsCommand implements Callable<Integer> {
    @ParentCommand
    SyncProductsCommand top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "targets needs a command: import FILE, list or count");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import targets from a CSV file with a code column (code, upc, barcode, ean or gtin)",
                    "and optional category and list columns. Invalid codes are reported with their line",
                    "numbers and not imported; the valid ones are."})
    static final class Import implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        TargetsCommand targets;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The CSV file.")
        Path file;

        @Option(names = "--list", paramLabel = "NAME", defaultValue = "default",
                description = "List name for rows without a list column (default: ${DEFAULT-VALUE}).")
        String list;

        @Option(names = "--replace", description = "Remove targets of the imported lists that are not in the file.")
        boolean replace;

        @Override
        public Integer call() {
            SyncProductsCommand top = targets.top;
            TargetFile.Parsed parsed = TargetFile.read(file, list);
            TargetRepository.ImportResult result;
            try (Database database = top.openDatabase(top.config())) {
                result = new TargetRepository(database.jdbi()).upsert(parsed.targets(), replace);
            }
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                output.json(new Imported(file.toString(), parsed.targets().size(), result.added(), result.updated(),
                        result.unchanged(), result.removed(), parsed.duplicates(), parsed.invalid().stream()
                        .map(invalid -> new InvalidLine(invalid.line(), invalid.code(), invalid.reason())).toList(),
                        ExitCode.OK));
            } else {
                output.line(String.format("imported %,d targets from %s: %,d added, %,d updated, %,d unchanged%s%s",
                        parsed.targets().size(), file, result.added(), result.updated(), result.unchanged(),
                        replace ? String.format(", %,d removed", result.removed()) : "",
                        parsed.duplicates() > 0 ? String.format(" (%,d duplicate rows ignored)", parsed.duplicates()) : ""));
                if (!parsed.invalid().isEmpty()) {
                    output.line(String.format("%,d invalid codes not imported:", parsed.invalid().size()));
                    parsed.invalid().forEach(invalid -> output.line("  line " + invalid.line() + ": '" + invalid.code()
                            + "': " + invalid.reason()));
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List targets, with whether each has a product.")
    static final class ListTargets implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        TargetsCommand targets;

        @Spec
        CommandSpec spec;

        @Option(names = "--list", paramLabel = "NAME", description = "Only this list.")
        String list;

        @Option(names = "--missing", description = "Only targets with no product yet.")
        boolean missing;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
                description = "Show at most N targets (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            SyncProductsCommand top = targets.top;
            List<TargetRepository.TargetStatus> rows;
            try (Database database = top.openDatabase(top.config())) {
                rows = new TargetRepository(database.jdbi()).list(list, missing, Math.max(limit, 0));
            }
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                output.list(rows.stream().map(row -> new Listed(row.displayCode(), row.listName(), row.category(),
                        row.present())).toList(), limit > 0 && rows.size() == limit ? rows.size() + 1L : rows.size());
            } else {
                rows.forEach(row -> output.line(String.format("%-14s  %-12s  %-24s  %s", row.displayCode(), row.listName(),
                        row.category() == null ? "" : row.category(), row.present() ? "present" : "missing")));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true,
            description = "Count targets by list and category, with how many have a product.")
    static final class Count implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        TargetsCommand targets;

        @Spec
        CommandSpec spec;

        @Option(names = "--list", paramLabel = "NAME", description = "Only this list.")
        String list;

        @Override
        public Integer call() {
            SyncProductsCommand top = targets.top;
            List<TargetRepository.TargetCount> counts;
            try (Database database = top.openDatabase(top.config())) {
                counts = new TargetRepository(database.jdbi()).counts(list);
            }
            long total = counts.stream().mapToLong(TargetRepository.TargetCount::targets).sum();
            long present = counts.stream().mapToLong(TargetRepository.TargetCount::present).sum();
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                output.json(new Counted(total, present, counts.stream().map(count -> new ListCount(count.listName(),
                        count.category(), count.targets(), count.present())).toList(), ExitCode.OK));
            } else {
                output.line(String.format("%,d targets, %,d with a product", total, present));
                counts.forEach(count -> output.line(String.format("  %-12s  %-24s  %,d targets, %,d present",
                        count.listName(), count.category().isEmpty() ? "(no category)" : count.category(),
                        count.targets(), count.present())));
            }
            return ExitCode.OK;
        }
    }

    /** The {@code targets import --json} document. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record Imported(String file, long valid, long added, long updated, long unchanged, long removed,
                            long duplicates, List<InvalidLine> invalid, int exitCode) {
    }

    /** One target as {@code targets list --json} shows it. */
    private record Listed(String code, String list, String category, boolean present) {
    }

    /** The {@code targets count --json} document. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record Counted(long targets, long present, List<ListCount> byListAndCategory, int exitCode) {
    }

    /** Parts of the documents above. */
    private record InvalidLine(long line, String code, String reason) {
    }

    private record ListCount(String list, String category, long targets, long present) {
    }
}
