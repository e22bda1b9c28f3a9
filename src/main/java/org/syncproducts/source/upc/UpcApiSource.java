package org.syncproducts.source.upc;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.syncproducts.http.RequestGate;
import org.syncproducts.http.RequestPacer;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.model.Barcode;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.lookup.LookupResult;
import org.syncproducts.source.lookup.LookupSource;

/**
 * What the UPC database APIs share: one code per request through a rate-limited, retried client
 * made on first use, a circuit breaker, and the same description of their settings. Subclasses
 * say how one code is looked up.
 */
abstract class UpcApiSource implements LookupSource {
    protected final String name;
    protected final UpcApiSettings settings;
    protected final LookupContext context;
    protected final RequestPacer limiter;
    private final CircuitBreaker breaker;
    private SourceHttpClient client;

    /** @param endpoint the endpoint kind, naming the rate limiter ({@code NAME.endpoint}) */
    protected UpcApiSource(String name, UpcApiSettings settings, LookupContext context, String endpoint) {
        this.name = name;
        this.settings = settings;
        this.context = context;
        this.limiter = RequestPacer.perMinute(name + "." + endpoint, settings.requestsPerMinute());
        this.breaker = settings.breaker().create(name);
    }

    /**
     * Looks up one code, its requests entering {@code gate}; {@link LookupResult.NotFound} when the
     * API does not have it.
     */
    protected abstract LookupResult lookUp(Barcode code, RequestGate gate);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int maxCodesPerLookup() {
        return 1;
    }

    @Override
    public final CircuitBreaker circuitBreaker() {
        return breaker;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("base_url", settings.baseUrl().toString());
        description.put("requests_per_minute", settings.requestsPerMinute());
        description.put("attempts", settings.http().attempts());
        return description;
    }

    /** One request per code; codes the API does not have are left out of the answer. */
    @Override
    public final Map<String, LookupResult> lookUp(List<Barcode> codes, RequestGate gate) {
        Map<String, LookupResult> results = new LinkedHashMap<>();
        for (Barcode code : codes) {
            LookupResult result = lookUp(code, gate);
            if (!(result instanceof LookupResult.NotFound)) {
                results.put(code.canonical(), result);
            }
        }
        return results;
    }

    protected final synchronized SourceHttpClient client() {
        if (client == null) {
            client = new SourceHttpClient(name, context.http().get(), settings.http(), context.userAgent(null),
                    context.clock());
        }
        return client;
    }
}
