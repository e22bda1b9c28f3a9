package org.syncproducts.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.syncproducts.health.HealthThresholds;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.SourceTypes;
import org.syncproducts.source.lookup.LookupSource;

/** Builds the {@link ResolvedConfig} of a loaded configuration: its values, their origins, its sources. */
final class ConfigExplainer {
    private final AppConfig config;
    private final ConfigOrigins origins;
    private final Map<String, String> env;
    private final SourceTypes sourceTypes;
    private final List<ResolvedConfig.Setting> settings = new ArrayList<>();

    ConfigExplainer(AppConfig config, ConfigOrigins origins, Map<String, String> env, SourceTypes sourceTypes) {
        this.config = config;
        this.origins = origins;
        this.env = env;
        this.sourceTypes = sourceTypes;
    }

    ResolvedConfig explain() {
        DatabaseSettings database = config.database();
        add("database.url", database.isEmbedded() ? "embedded" : database.maskedUrl());
        add("database.user", database.user());
        secret("database.password", database.password(), "DB_PASSWORD");
        add("database.schema", database.schema());
        add("database.embedded_dir", database.embeddedDir().toString());
        add("database.pool_size", database.poolSize());

        SyncSettings sync = config.sync();
        add("sync.sources", sync.sources());
        add("sync.batch_size", sync.batchSize());
        add("sync.failure_tolerance", sync.failureTolerance().toString());
        add("sync.progress_interval", duration(sync.progressInterval()));
        add("sync.stale_after", duration(sync.staleAfter()));
        add("sync.recheck_not_found_after", duration(sync.recheckNotFoundAfter()));
        add("sync.max_duration", duration(sync.maxDuration()));
        add("sync.languages", sync.languages());
        ImageSettings images = sync.images();
        envWins("sync.images_store", "AWS_S3_BUCKET");
        add(nonBlank(env.get("AWS_S3_BUCKET")) || origins.of("sync.images_dir").equals("default")
                ? "sync.images_store" : "sync.images_dir", images.storeName());
        envWins("sync.images_public_url", "CLOUDFRONT_DOMAIN");
        add("sync.images_public_url", images.publicBaseUrl());
        add("sync.image_max_bytes", images.maxBytes());
        add("sync.images_per_minute", images.perMinute());
        add("sync.concurrency", sync.concurrency());
        add("sync.cache_dir", sync.cacheDir().toString());
        add("sync.mark_missing_deleted", sync.markMissingDeleted());
        add("sync.mark_missing_limit", sync.markMissingLimit().toString());
        add("auto.realtime_max", config.auto().realtimeMax());

        HealthThresholds thresholds = config.monitor().thresholds();
        add("monitor.coverage_target", thresholds.coverageTarget());
        add("monitor.coverage_minimum", thresholds.coverageMinimum());
        add("monitor.coverage_critical", thresholds.coverageCritical());
        add("monitor.freshness_warning", duration(thresholds.freshnessWarning()));
        add("monitor.freshness_critical", duration(thresholds.freshnessCritical()));
        add("monitor.failure_rate_warning", thresholds.failureRateWarning());
        add("monitor.consecutive_failures", thresholds.consecutiveFailures());
        add("monitor.image_coverage_info", thresholds.imageCoverageInfo());
        add("monitor.nutrition_coverage_info", thresholds.nutritionCoverageInfo());
        add("monitor.interval", duration(config.monitor().watchInterval()));

        config.schedules().forEach((name, schedule) -> add("schedules." + name, "every "
                + duration(schedule.interval()) + (schedule.preferredHour() == null ? ""
                : String.format(" from %02d:00 UTC", schedule.preferredHour()))));

        NotifySettings notify = config.notifications();
        envWins("notify.webhook_url", NotifySettings.WEBHOOK_ENV);
        secret("notify.webhook_url", notify.webhookUrl(), NotifySettings.WEBHOOK_ENV);
        envWins("notify.ping_url", NotifySettings.PING_ENV);
        secret("notify.ping_url", notify.pingSuccessUrl(), NotifySettings.PING_ENV);
        add("notify.timeout", duration(notify.timeout()));

        List<ResolvedConfig.Source> sources = new ArrayList<>();
        for (String name : config.sourceNames()) {
            ProductSource source = config.sources().get(name);
            LookupSource lookup = config.lookupSources().get(name);
            String type = source != null ? source.type() : lookup.type();
            List<String> variables = source != null ? source.secretVariables() : lookup.secretVariables();
            Map<String, Boolean> secrets = new LinkedHashMap<>();
            variables.forEach(variable -> secrets.put(variable, nonBlank(env.get(variable))));
            String origin = origins.of("sources." + name);
            if (origin.equals("default")) {
                origin = "env " + String.join(" ", SourceTypes.environmentVariables(type).stream()
                        .filter(variable -> nonBlank(env.get(variable))).toList());
            }
            sources.add(new ResolvedConfig.Source(name, type, lookup != null, config.priority(name), origin,
                    sourceTypes.keys(type), secrets));
        }
        return new ResolvedConfig(config.file() == null ? null : config.file().toString(), settings, sources);
    }

    private void add(String key, Object value) {
        settings.add(new ResolvedConfig.Setting(key, value, origins.of(key), null));
    }

    /** A secret: only whether it is set, and the variable that would hold it. */
    private void secret(String key, String value, String variable) {
        settings.add(new ResolvedConfig.Setting(key, value == null ? ResolvedConfig.NOT_SET : ResolvedConfig.SET,
                origins.of(key), variable));
    }

    /** Keys whose environment variable, when set, wins over the file (SPEC §3). */
    private void envWins(String key, String variable) {
        if (nonBlank(env.get(variable))) {
            origins.env(key, variable);
        }
    }

    private static String duration(Duration duration) {
        return duration == null ? null : Durations.configForm(duration);
    }

    private static boolean nonBlank(String text) {
        return text != null && !text.isBlank();
    }
}
