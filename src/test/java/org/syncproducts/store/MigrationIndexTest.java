package org.syncproducts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The list of migrations a run checks before skipping Flyway is the list of migration files. */
class MigrationIndexTest {
    @Test
    void everyMigrationFileIsInTheList() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            List<String> versions = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")))
                    .sorted(Comparator.comparingInt(Integer::parseInt))
                    .toList();

            assertEquals(versions, Database.MIGRATIONS,
                    "add the new migration's version to Database.MIGRATIONS, or a current schema would look current"
                            + " without it");
        }
    }
}
