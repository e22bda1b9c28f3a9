package org.syncproducts.sync;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.syncproducts.model.Barcode;
import org.syncproducts.source.lookup.LookupPlan;
import org.syncproducts.store.LookupRepository;

/**
 * Which codes a sync asks lookup sources for (SPEC §4 strategies, applied to targets):
 * <ul>
 *   <li>incremental: every target with no product, except codes no source had when asked less
 *       than the re-check interval ago;</li>
 *   <li>{@code --full}: every target, except those whose product came from a source of higher
 *       priority than the lookups;</li>
 *   <li>{@code --upcs} / {@code --upcs-file}: the codes named (targets or not), missing ones only
 *       unless {@code --full}; the not-found memory does not apply to codes named;</li>
 *   <li>{@code --retry-failed}: the codes with unresolved retryable errors.</li>
 * </ul>
 * Codes are always in canonical order, which is what makes code-numbered checkpoints work.
 */
public final class LookupPlans {
    private LookupPlans() {
    }

    public static LookupPlan missingTargets(LookupRepository repository, Duration recheckNotFoundAfter) {
        return new LookupPlan("missing targets", after -> repository.missingTargets(recheckNotFoundAfter, after));
    }

    /**
     * @param keptSources sources of higher priority than the lookups: targets whose product came
     *                    from one of them are not looked up (their data wins)
     */
    public static LookupPlan allTargets(LookupRepository repository, Collection<String> keptSources) {
        List<String> kept = List.copyOf(keptSources);
        return new LookupPlan("all targets", after -> repository.allTargets(after, kept));
    }

    /**
     * @param canonicalCodes the codes named
     * @param missingOnly    leave out codes that have a product (incremental)
     */
    public static LookupPlan namedCodes(LookupRepository repository, Collection<String> canonicalCodes,
                                        boolean missingOnly) {
        TreeSet<String> codes = new TreeSet<>(canonicalCodes);
        String description = (missingOnly ? "missing " : "") + "named codes (" + codes.size() + ", "
                + Integer.toHexString(codes.hashCode()) + ")";
        return new LookupPlan(description, after -> {
            Set<String> present = missingOnly ? repository.present(codes) : Set.of();
            return (after == null ? codes : codes.tailSet(after, false)).stream()
                    .filter(code -> !present.contains(code))
                    .map(code -> Barcode.parse(code).orElseThrow())
                    .toList();
        });
    }

    public static LookupPlan retryFailed(LookupRepository repository) {
        return new LookupPlan("codes with retryable errors", after -> {
            List<String> codes = repository.codesWithRetryableErrors();
            return codes.stream().filter(code -> after == null || code.compareTo(after) > 0)
                    .map(Barcode::parse).flatMap(java.util.Optional::stream).toList();
        });
    }
}
