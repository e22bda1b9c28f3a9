package org.syncproducts.cli;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.config.AppConfig;
import org.syncproducts.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** Applies pending database migrations and says where the schema stands. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply pending database migrations (other commands do this too, unless --no-migrate).")
final class MigrateCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.Config globalOptions;

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        AppConfig config = top.config();
        try (Database database = Database.open(config.database())) {
            int applied = database.migrate();
            String version = database.schemaVersion();
            Output output = new Output(spec, top.json());
            if (top.json()) {
                output.json(new Migrated(applied, database.schema(), version == null ? null : new BigDecimal(version),
                        ExitCode.OK));
            } else {
                output.line(applied == 0 ? "database schema " + database.schema() + " is up to date (version " + version + ")"
                        : "applied " + applied + " migration(s); database schema " + database.schema()
                        + " is at version " + version);
            }
        }
        return ExitCode.OK;
    }

    /** The --json document: {@code schema_version} is a number (Flyway versions are numbers). */
    private record Migrated(int applied, String schema, @JsonProperty("schema_version") BigDecimal schemaVersion,
                            @JsonProperty("exit_code") int exitCode) {
    }
}
