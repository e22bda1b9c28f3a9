package org.syncproducts.sync;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.syncproducts.SyncProductsException;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.off.OffCsvSource;
import org.syncproducts.source.off.OffJsonlSource;
import org.syncproducts.source.offdelta.OffDeltaSource;
import org.syncproducts.store.SourceStateRepository;

/**
 * {@code sync --auto}: chooses per run the polite way to keep up with Open Food Facts, which asks
 * that its API serve real scans and that bulk data come from its exports and daily deltas:
 * <ol>
 *   <li>at most {@code auto.realtime_max} named codes: read them from the API;</li>
 *   <li>an export source none of whose whole reads has succeeded yet: the full export;</li>
 *   <li>otherwise the delta sources since the last applied file (else the configured sources,
 *       incrementally);</li>
 * </ol>
 * then, after 2 and 3, API lookups only for targets still missing.
 */
final class AutoStrategy {
    /** Source types that are Open Food Facts' full exports. */
    private static final Set<String> EXPORT_TYPES = Set.of(OffJsonlSource.TYPE, OffCsvSource.TYPE);
    /** The source type of Open Food Facts' daily delta files. */
    static final String DELTA_TYPE = OffDeltaSource.TYPE;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** Which lookups follow the sources. */
    enum Lookups {
        /** The named codes, asked again (they are few). */
        NAMED_CODES,
        /** Targets without a product (and not known missing everywhere recently). */
        MISSING_TARGETS
    }

    /**
     * What the run does.
     *
     * @param sources  read sources, in order (none for API reads alone)
     * @param strategy full for a base load (or a refresh of named codes), else incremental
     * @param lookups  which codes the lookup sources are asked for
     * @param reason   why, for the job row and the summary line
     */
    record Choice(List<ProductSource> sources, Strategy strategy, Lookups lookups, String reason) {
    }

    private AutoStrategy() {
    }

    /**
     * @param configured   the run's read sources, in priority order
     * @param codes        canonical codes named by {@code --upcs}, or null
     * @param realtimeMax  {@code auto.realtime_max}
     * @param hasLookups   whether a lookup source (an API) is configured
     */
    static Choice choose(List<ProductSource> configured, Set<String> codes, int realtimeMax, boolean hasLookups,
                         SourceStateRepository states) {
        if (codes != null && codes.size() <= realtimeMax) {
            if (!hasLookups) {
                throw SyncProductsException.config("--auto reads " + codes.size() + " named code(s) from the API, and "
                        + "no lookup source is configured: add an open_food_facts source, or set OFF_CONTACT");
            }
            return new Choice(List.of(), Strategy.FULL, Lookups.NAMED_CODES, codes.size() + " named code(s), at most "
                    + "auto.realtime_max (" + realtimeMax + "): read from the API");
        }
        String then = hasLookups ? ", then API lookups for targets still missing" : "";
        List<ProductSource> exports = exports(configured);
        List<ProductSource> deltas = configured.stream().filter(source -> DELTA_TYPE.equals(source.type())).toList();
        Optional<Instant> loaded = exports.stream().map(source -> states.lastWholeRead(source.name()))
                .flatMap(Optional::stream).max(Instant::compareTo);
        if (!exports.isEmpty() && loaded.isEmpty()) {
            return new Choice(exports, Strategy.FULL, Lookups.MISSING_TARGETS, "no full load of the export ("
                    + names(exports) + ") has succeeded yet: full export" + then);
        }
        String base = loaded.map(time -> "export last loaded " + DATE.format(time) + "; ").orElse("");
        if (!deltas.isEmpty()) {
            return new Choice(deltas, Strategy.INCREMENTAL, Lookups.MISSING_TARGETS, base
                    + "daily deltas since the last applied one (" + names(deltas) + ")" + then);
        }
        List<ProductSource> others = configured.stream().filter(source -> !isExport(source)).toList();
        List<ProductSource> incremental = others.isEmpty() ? configured : others;
        return new Choice(incremental, Strategy.INCREMENTAL, Lookups.MISSING_TARGETS, base
                + (incremental.isEmpty() ? "no read source configured: API lookups for targets still missing"
                : "no " + DELTA_TYPE + " source configured: incremental sync of " + names(incremental) + then));
    }

    /** The full export to fall back on when the deltas have a gap. */
    static Optional<Choice> exportAfterGap(List<ProductSource> configured, boolean hasLookups, String gap) {
        List<ProductSource> exports = exports(configured);
        return exports.isEmpty() ? Optional.empty() : Optional.of(new Choice(exports, Strategy.FULL,
                Lookups.MISSING_TARGETS, "the daily deltas have a gap (" + gap + "): full export"
                + (hasLookups ? ", then API lookups for targets still missing" : "")));
    }

    /** Whether the source is one of Open Food Facts' full exports (a file or a URL). */
    static boolean isExport(ProductSource source) {
        return EXPORT_TYPES.contains(source.type());
    }

    /** The export sources among {@code sources}, in order. */
    static List<ProductSource> exports(List<ProductSource> sources) {
        return sources.stream().filter(AutoStrategy::isExport).toList();
    }

    private static String names(List<ProductSource> sources) {
        return String.join(", ", sources.stream().map(ProductSource::name).toList());
    }
}
