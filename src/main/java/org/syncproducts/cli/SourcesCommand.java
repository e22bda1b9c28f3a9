package org.syncproducts.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.download.DownloadListener;
import org.syncproducts.model.Product;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.SourceCheck;
import org.syncproducts.source.UrlExportSource;
import org.syncproducts.source.lookup.LookupSource;
import org.syncproducts.store.Database;
import org.syncproducts.store.SourceStateRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The configured sources: what they are and where they stand, and whether they work. */
@Command(name = "sources", mixinStandardHelpOptions = true,
        description = "List the configured sources, or check that they can be read before a cron line depends on them.",
        subcommands = {SourcesCommand.ListSources.class, SourcesCommand.TestSources.class})
final class SourcesCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    SyncProductsCommand top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "sources needs a command: list or test [NAME]");
    }

    /** One source as {@code sources list} shows it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Row(String name, String type, Integer priority, String watermark, Long lastCompletedJob,
               Instant lastCompletedAt, Map<String, Boolean> secrets) {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Every configured source: type, priority (its place in sync.sources), the watermark or",
                    "last completed run, and whether the environment variables holding its secrets are set",
                    "(never their values)."})
    static final class ListSources implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        SourcesCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            SyncProductsCommand top = parent.top;
            AppConfig config = top.config();
            List<Row> rows = new ArrayList<>();
            try (Database database = top.openDatabase(config)) {
                SourceStateRepository states = new SourceStateRepository(database.jdbi());
                for (String name : config.sourcesByPriority()) {
                    ProductSource source = config.sources().get(name);
                    LookupSource lookup = config.lookupSources().get(name);
                    List<String> variables = source != null ? source.secretVariables() : lookup.secretVariables();
                    Map<String, Boolean> secrets = new LinkedHashMap<>();
                    variables.forEach(variable -> secrets.put(variable, present(top.env().get(variable))));
                    SourceStateRepository.Summary summary = states.summary(name).orElse(null);
                    rows.add(new Row(name, source != null ? source.type() : lookup.type(), config.priority(name),
                            summary == null ? null : watermark(summary.cursorJson()),
                            summary == null ? null : summary.lastCompletedJobId(),
                            summary == null ? null : summary.lastCompletedAt(), secrets));
                }
            }
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                output.list(rows, rows.size());
                return ExitCode.OK;
            }
            if (rows.isEmpty()) {
                output.line("no sources configured (see sample-config/sync-products.yaml)");
            }
            for (Row row : rows) {
                StringBuilder line = new StringBuilder(String.format("%-3s %-20s %-16s", row.priority() == null ? "-"
                        : row.priority(), row.name(), row.type()));
                line.append(row.watermark() != null ? " watermark " + row.watermark()
                        : row.lastCompletedJob() != null ? " last completed by job #" + row.lastCompletedJob() + " at "
                        + MonitorCommand.time(row.lastCompletedAt()) : " never synced");
                row.secrets().forEach((variable, set) -> line.append("  ").append(variable)
                        .append(set ? " set" : " NOT SET"));
                output.line(line.toString());
            }
            return ExitCode.OK;
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }

        /** The watermark a source's state holds, if its state has one. */
        private static String watermark(String cursorJson) {
            if (cursorJson == null) {
                return null;
            }
            try {
                JsonNode watermark = JSON.readTree(cursorJson).get("watermark");
                return watermark == null || watermark.isNull() ? null : watermark.asText();
            } catch (IOException e) {
                return null;
            }
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Check sources the way a sync would use them, writing nothing: connect, authenticate,",
                    "read a few records (a lookup API: look one well-known code up), map them and show the",
                    "first product. Every source, or only NAME.",
                    "Exit 0 usable, 69 unreachable, 78 misconfigured or credentials refused, 65 data that",
                    "does not map."})
    static final class TestSources implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Config globalOptions;

        @ParentCommand
        SourcesCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this source.")
        String name;

        @Override
        public Integer call() {
            SyncProductsCommand top = parent.top;
            AppConfig config = top.config();
            List<String> names = name != null ? List.of(name) : config.sourcesByPriority();
            if (names.isEmpty()) {
                throw SyncProductsException.config("no sources configured: give a config file with a sources: section "
                        + "(see sample-config/sync-products.yaml)");
            }
            List<SourceCheck.Result> results = new ArrayList<>();
            for (String sourceName : names) {
                ProductSource source = config.sources().get(sourceName);
                LookupSource lookup = config.lookupSources().get(sourceName);
                if (source == null && lookup == null) {
                    throw SyncProductsException.config("no source named '" + sourceName + "' in the config; configured: "
                            + String.join(", ", config.sourceNames()));
                }
                if (source instanceof UrlExportSource export) {
                    // An export by URL is checked as a sync reads it: from the download cache, brought up to date.
                    try {
                        export.fetch(config.sync().cacheDir(), top.http(), "sync-products/" + VersionProvider.version(),
                                DownloadListener.NONE, () -> false);
                    } catch (SyncProductsException e) {
                        results.add(new SourceCheck.Result(sourceName, source.type(), e.exitCode(), 0, 0, null,
                                e.getMessage()));
                        continue;
                    }
                }
                results.add(source != null ? SourceCheck.check(source) : SourceCheck.check(lookup));
            }
            int exitCode = results.stream().mapToInt(SourceCheck.Result::exitCode).filter(code -> code != ExitCode.OK)
                    .findFirst().orElse(ExitCode.OK);
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                output.list(results.stream().map(TestSources::document).toList(), results.size(), exitCode);
            } else {
                for (SourceCheck.Result result : results) {
                    output.line(result.source() + " (" + result.type() + "): " + result.message());
                    if (result.product() != null) {
                        output.line("  first product: " + describe(result.product()));
                    }
                }
            }
            if (exitCode != ExitCode.OK) {
                results.stream().filter(result -> !result.usable()).forEach(result ->
                        spec.commandLine().getErr().println("sync-products: source " + result.source() + ": "
                                + result.message()));
                spec.commandLine().getErr().flush();
            }
            return exitCode;
        }

        /** One check as {@code sources test --json} shows it. */
        @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
        record Checked(String name, String type, boolean usable, int exitCode, int read, int mapped, String message,
                       String firstProduct) {
        }

        private static Checked document(SourceCheck.Result result) {
            return new Checked(result.source(), result.type(), result.usable(), result.exitCode(), result.read(),
                    result.mapped(), result.message(), result.product() == null ? null : describe(result.product()));
        }

        /** A product on one line: code, name, brands, categories and what else it has. */
        static String describe(Product product) {
            StringBuilder text = new StringBuilder(product.code().display());
            text.append(" \"").append(product.name() == null ? "" : product.name()).append('"');
            if (product.brands() != null) {
                text.append(" brands=").append(product.brands());
            }
            if (!product.categories().isEmpty()) {
                text.append(" categories=").append(String.join(",", product.categories()));
            }
            if (product.quantity() != null) {
                text.append(" quantity=").append(product.quantity());
            }
            if (product.imageUrl() != null) {
                text.append(" image=").append(product.imageUrl());
            }
            if (product.hasNutrition()) {
                text.append(" nutrition=yes");
            }
            if (product.sourceModifiedAt() != null) {
                text.append(" modified=").append(product.sourceModifiedAt());
            }
            return text.toString();
        }
    }
}
