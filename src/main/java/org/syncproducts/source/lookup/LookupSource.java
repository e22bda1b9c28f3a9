package org.syncproducts.source.lookup;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.Map;
import org.syncproducts.http.RequestGate;
import org.syncproducts.model.Barcode;

/**
 * A source asked for products by barcode (an HTTP API), rather than read from start to end like a
 * file. {@link TargetLookupSource} turns a list of codes and a priority order of lookup sources
 * into the records the sync engine writes.
 */
public interface LookupSource {
    /** The name the operator gave the source in config. */
    String name();

    /** The source type as written in config, e.g. {@code open_food_facts}. */
    String type();

    /** The most codes one {@link #lookUp} call takes (1 for one-code-per-request APIs). */
    int maxCodesPerLookup();

    /**
     * Refuses to run when the source is not usable as configured (exit 78), before any request:
     * e.g. Open Food Facts without a contact e-mail.
     */
    void checkConfigured();

    /** This source's circuit breaker, one per source for the whole run. */
    CircuitBreaker circuitBreaker();

    /** What the job row may record about this source: base URL and limits, never a secret. */
    Map<String, Object> describe();

    /** The environment variables holding this source's secrets (never their values). */
    default List<String> secretVariables() {
        return List.of();
    }

    /** Looks codes up outside a lookup run: no bound on requests in flight, no time budget. */
    default Map<String, LookupResult> lookUp(List<Barcode> codes) {
        return lookUp(codes, RequestGate.UNBOUNDED);
    }

    /**
     * Looks codes up, every request entering {@code gate} after its rate limiter's turn. Never
     * throws for a failed request: each code of a failed request gets a {@link LookupResult.Failed}.
     * Safe to call from several threads at once.
     *
     * @param codes at most {@link #maxCodesPerLookup()} codes
     * @return results by canonical code; a code absent from the map was not found
     * @throws RequestGate.BudgetSpentException when the gate's time budget was spent before a
     *                                          request it needed: none of the codes was answered
     */
    Map<String, LookupResult> lookUp(List<Barcode> codes, RequestGate gate);
}
