package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.support.Cli;

/** {@code config show}: each value with its origin, secrets never printed, the sources' keys. */
class ConfigShowTest {
    @TempDir
    Path dir;

    private Path config() throws IOException {
        return Files.writeString(dir.resolve("sync-products.yaml"), """
                database:
                  url: postgresql://file-user:file-secret@db.example/products
                  schema: from_file
                sync:
                  batch_size: 200
                sources:
                  shop:
                    type: rest
                    url: https://shop.example/api/products
                    auth: {type: bearer, token_env: SHOP_API_TOKEN}
                    mapping: {code: gtin}
                  feed:
                    type: csv
                    path: feed.csv
                    mapping: {code: ean}
                """, StandardCharsets.UTF_8);
    }

    @Test
    void everyValueNamesItsOriginAndNoSecretIsPrinted() throws IOException {
        Path file = config();
        Cli cli = new Cli(Map.of("DB_SCHEMA", "from_env", "DB_PASSWORD", "env-secret", "SHOP_API_TOKEN", "t0ken",
                "XDG_DATA_HOME", dir.toString()));
        Cli.Result result = cli.run("--config", file.toString(), "--embedded-db", dir.resolve("pg").toString(),
                "config", "show");
        assertEquals(ExitCode.OK, result.exitCode(), result.toString());
        String out = result.out();
        assertEquals("env DB_SCHEMA", origin(out, "database.schema"), out);
        assertEquals("flag --embedded-db", origin(out, "database.embedded_dir"), out);
        assertEquals("file " + file + ":2", origin(out, "database.url"), "a URL from the file names its line");
        assertEquals("file " + file + ":2", origin(out, "database.user"), "the user came inside the file's URL");
        assertEquals("env DB_PASSWORD", origin(out, "database.password"), out);
        assertEquals("file " + file + ":5", origin(out, "sync.batch_size"), out);
        assertEquals("default", origin(out, "sync.stale_after"), out);
        assertTrue(line(out, "database.password").contains("(set) in DB_PASSWORD"), out);
        for (String secret : new String[] {"file-secret", "env-secret", "t0ken"}) {
            assertFalse(out.contains(secret), "a secret was printed: " + secret + "\n" + out);
        }
        assertTrue(out.contains("shop") && out.contains("keys: attempts, auth, backoff"), "a source lists the keys its type accepts\n" + out);
        assertTrue(out.contains("secrets: SHOP_API_TOKEN (set)"), out);
        assertTrue(out.contains("keys: delimiter, encoding, extra, header, mapping, path, quote, type"), out);
    }

    @Test
    void flagsWinOverTheEnvironment() throws IOException {
        Cli cli = new Cli(Map.of("DATABASE_URL", "postgresql://env@db.example/products", "XDG_DATA_HOME",
                dir.toString()));
        Cli.Result result = cli.run("--db-url", "postgresql://flag:pw@db.example/products", "--db-schema", "from_flag",
                "config", "show");
        assertEquals("flag --db-url", origin(result.out(), "database.url"), result.toString());
        assertEquals("flag --db-url", origin(result.out(), "database.password"), result.toString());
        assertEquals("flag --db-schema", origin(result.out(), "database.schema"), result.toString());
        assertFalse(result.out().contains(":pw@"), result.out());
        assertTrue(result.out().contains("sources: none"), result.out());
    }

    @Test
    void aBadConfigIsOneLineAndExit78() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "sync:\n  batch_sise: 10\n", StandardCharsets.UTF_8);
        Cli.Result result = new Cli(Map.of()).run("--config", file.toString(), "config", "show");
        assertEquals(ExitCode.CONFIG, result.exitCode(), result.toString());
        assertEquals("", result.out());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("sync.batch_sise"), result.err());
    }

    private static String line(String out, String key) {
        return out.lines().filter(line -> line.startsWith(key + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " in\n" + out));
    }

    /** The last column of a setting's line. */
    private static String origin(String out, String key) {
        String line = line(out, key);
        String[] columns = line.split("\\s{2,}");
        String last = columns[columns.length - 1];
        return Arrays.stream(new String[] {"flag ", "env ", "file ", "default"}).filter(last::startsWith).findFirst()
                .map(prefix -> last).orElse(line);
    }
}
