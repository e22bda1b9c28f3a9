package org.syncproducts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.SourceTypes;
import org.syncproducts.source.UrlExportSource;
import org.syncproducts.source.postgres.PostgresSource;
import org.syncproducts.source.rest.RestOptions;
import org.syncproducts.source.rest.RestSource;

/** The shipped sample config loads, and its monitoring sections say what the README says. */
class SampleConfigTest {
    @Test
    void sampleConfigLoadsWithMonitorSchedulesAndNotifySections() {
        AppConfig config = new ConfigLoader(Map.of(), SourceTypes.builtIn())
                .load(new ConfigLoader.Overrides(Path.of("sample-config/sync-products.yaml"), null, null));

        assertEquals(85.0, config.monitor().thresholds().coverageMinimum());
        assertEquals(Duration.ofHours(72), config.monitor().thresholds().freshnessCritical());
        assertEquals(Duration.ofMinutes(5), config.monitor().watchInterval());
        assertEquals(new ScheduleSettings("nightly", Duration.ofHours(24), 2), config.schedules().get("nightly"));
        assertEquals(Duration.ofDays(7), config.schedules().get("weekly_full").interval());
        assertNull(config.notifications().webhookUrl(), "the sample only shows the webhook, commented out");
        assertEquals(Duration.ofSeconds(10), config.notifications().timeout());
    }

    @Test
    void theCommentedRestAndPostgresExamplesLoadOnceUncommented(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("sample-config/sync-products.yaml"));
        List<String> config = new ArrayList<>(List.of("sources:"));
        for (String example : List.of("  # shop_api:", "  # shop_db:")) {
            for (int i = lines.indexOf(example); i >= 0 && i < lines.size() && !lines.get(i).isBlank(); i++) {
                config.add("  " + lines.get(i).substring("  # ".length()));
            }
        }
        Path file = Files.write(dir.resolve("sources.yaml"), config);
        AppConfig loaded = new ConfigLoader(Map.of(), SourceTypes.builtIn()).load(new ConfigLoader.Overrides(file, null, null));

        RestSource rest = (RestSource) loaded.sources().get("shop_api");
        assertEquals("manufacturer.name", rest.options().mapping().get(ProductField.BRANDS).toString());
        assertEquals(RestOptions.PaginationStyle.PAGE, rest.options().pagination().style());
        assertEquals(List.of("SHOP_API_TOKEN"), rest.secretVariables());
        PostgresSource postgres = (PostgresSource) loaded.sources().get("shop_db");
        assertEquals("deleted", postgres.options().deletedColumn());
        assertEquals(List.of("SHOP_DB_URL"), postgres.secretVariables());
    }

    @Test
    void theCommentedExportByUrlLoadsOnceUncommented(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("sample-config/sync-products.yaml"));
        List<String> config = new ArrayList<>(List.of("sources:"));
        for (int i = lines.indexOf("  # off_export:"); i < lines.size() && !lines.get(i).isBlank(); i++) {
            config.add("  " + lines.get(i).substring("  # ".length()));
        }
        Path file = Files.write(dir.resolve("sources.yaml"), config);
        AppConfig loaded = new ConfigLoader(Map.of("XDG_CACHE_HOME", "/var/cache"), SourceTypes.builtIn())
                .load(new ConfigLoader.Overrides(file, null, null));

        UrlExportSource export = (UrlExportSource) loaded.sources().get("off_export");
        assertEquals("off-jsonl", export.type());
        assertEquals("openfoodfacts-products.jsonl.gz.sha256sum", export.checksum().url().pathSegments().get(1));
        assertEquals(5, export.http().attempts());
        assertEquals(Path.of("/var/cache/sync-products/exports"), loaded.sync().cacheDir());
    }

    @Test
    void theEnvironmentSetsWebhookAndPingUrls() {
        AppConfig config = new ConfigLoader(Map.of(NotifySettings.WEBHOOK_ENV, "https://hooks.example.com/T/B/X",
                NotifySettings.PING_ENV, "https://hc-ping.com/uuid/"), SourceTypes.builtIn())
                .load(new ConfigLoader.Overrides(Path.of("sample-config/sync-products.yaml"), null, null));

        assertEquals("https://hooks.example.com/T/B/X", config.notifications().webhookUrl());
        assertEquals("https://hc-ping.com/uuid/start", config.notifications().pingStartUrl());
        assertEquals("https://hc-ping.com/uuid", config.notifications().pingSuccessUrl());
        assertEquals("https://hc-ping.com/uuid/fail", config.notifications().pingFailureUrl());
        assertEquals("NotifySettings[webhook=https://hooks.example.com/***, start=https://hc-ping.com/***, "
                + "success=https://hc-ping.com/***, failure=https://hc-ping.com/***, timeout=PT10S]",
                config.notifications().toString());
    }
}
