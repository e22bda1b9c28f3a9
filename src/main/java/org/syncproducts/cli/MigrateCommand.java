package org.syncproducts.cli;

import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.config.AppConfig;
import org.syncproducts.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Applies pending database migrations and says where the schema stands. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply pending database migrations (other commands do this too, unless --no-migrate).")
final class MigrateCommand implements Callable<Integer> {
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
                output.json(java.util.Map.of("applied", applied, "schema", database.schema(), "schema_version", version));
            } else {
                output.line(applied == 0 ? "database schema " + database.schema() + " is up to date (version " + version + ")"
                        : "applied " + applied + " migration(s); database schema " + database.schema()
                        + " is at version " + version);
            }
        }
        return ExitCode.OK;
    }
}
