package org.syncproducts.images;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.config.Durations;
import org.syncproducts.config.ImageSettings;
import org.syncproducts.http.ApiException;
import org.syncproducts.http.BreakerSettings;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.RequestPacer;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.model.ErrorType;
import org.syncproducts.store.ImageRepository;
import org.syncproducts.sync.CancellationToken;

/**
 * {@code sync --images}: downloads the front image of every product that has an image URL and no
 * image stored for it in the configured {@link ImageStore}, stores it content-addressed, and
 * records path, hash, size, status, store and public URL.
 *
 * <p>Images are fetched and stored {@link ImageSettings#concurrency()} at a time, within the
 * images rate limit. An image already stored from the same URL is not downloaded again; bytes the
 * store already holds are not written or uploaded again. A failed download or upload is recorded
 * and tried again on the next run; it never fails the sync. Each image host has a circuit breaker:
 * a host that keeps failing (unreachable, timing out, 5xx) is not asked again this run, and its
 * images are skipped (left for the next run); so is the rest when the store keeps failing. Unless
 * {@link ImageSettings#allowPrivateHosts()}, URLs resolving to non-public addresses are refused.
 * Progress is logged at the progress interval; the counts and time go on the job row.
 */
public final class ImageSync {
    private static final Logger LOG = LoggerFactory.getLogger(ImageSync.class);
    private static final Logger PROGRESS = LoggerFactory.getLogger("progress");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 500;
    private static final Set<ErrorType> HOST_TROUBLE = Set.of(ErrorType.NETWORK, ErrorType.TIMEOUT,
            ErrorType.SERVER, ErrorType.RATE_LIMIT);

    /**
     * What a run did: images newly stored, already in the store, failed (recorded, retried next
     * run), skipped (host or store circuit open) and left (limit, time budget or a stop reached
     * first); the time it took and the store.
     */
    public record Tally(@JsonProperty("stored") long stored, @JsonProperty("already_stored") long alreadyStored,
                        @JsonProperty("failed") long failed, @JsonProperty("skipped") long skipped,
                        @JsonProperty("remaining") long remaining, @JsonProperty("duration_ms") long durationMs,
                        @JsonProperty("store") String store) {
        /** One line for the sync report. */
        public String summary() {
            return "images: " + stored + " stored, " + alreadyStored + " already in the store, " + failed
                    + " failed (see product_images; tried again next run)"
                    + (skipped > 0 ? ", " + skipped + " skipped (circuit open)" : "")
                    + (remaining > 0 ? ", " + remaining + " left for the next run" : "")
                    + " in " + Durations.format(Duration.ofMillis(durationMs));
        }
    }

    private final ImageRepository repository;
    private final ImageSettings settings;
    private final Map<String, String> env;
    private final SourceHttpClient client;
    private final PublicHostsOnly publicHostsOnly;
    private final RequestPacer pacer;
    private final Duration progressInterval;
    private final BreakerSettings breakerSettings = BreakerSettings.defaults();
    private final Map<String, CircuitBreaker> hostBreakers = new ConcurrentHashMap<>();
    /** Images being stored now, by key, so the same bytes are not stored twice at once. */
    private final Map<String, CompletableFuture<ImageStore.Stored>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param env              the tool's environment (AWS credentials for an S3 store)
     * @param progressInterval how often a progress line is logged
     */
    public ImageSync(ImageRepository repository, ImageSettings settings, Map<String, String> env, SharedHttpClient http,
                     String userAgent, Duration progressInterval, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.env = env;
        this.publicHostsOnly = settings.allowPrivateHosts() ? null : new PublicHostsOnly();
        OkHttpClient base = publicHostsOnly == null ? http.get() : http.get().newBuilder().dns(publicHostsOnly).build();
        this.client = new SourceHttpClient("images", base, HttpSettings.defaults(), userAgent, clock);
        this.pacer = RequestPacer.perMinute("images", settings.perMinute());
        this.progressInterval = progressInterval;
    }

    /**
     * Opens the store once and closes it: a missing bucket or refused credentials end the run
     * (exit 78) before any product is synced.
     */
    public void checkStore() {
        ImageStores.open(settings, env).close();
    }

    /**
     * Fetches the pending images in code order until done, {@code limit} images were tried (0 for
     * no limit), the {@code deadline} passed (null for none) or the run is cancelled.
     *
     * @param jobId the sync job the counts are recorded on
     * @param codes only these products' images, fetched again whatever was recorded; null for all pending
     */
    public Tally run(long jobId, Set<String> codes, long limit, Instant deadline, CancellationToken cancellation) {
        long started = System.nanoTime();
        Counts counts = new Counts();
        long pending;
        try (ImageStore store = ImageStores.open(settings, env)) {
            pending = repository.countPending(settings.storeName(), codes);
            fetchAll(store, codes, limit, deadline, cancellation, counts, limit > 0 ? Math.min(pending, limit) : pending,
                    started);
        }
        Tally tally = new Tally(counts.stored.get(), counts.alreadyStored.get(), counts.failed.get(),
                counts.skipped.get(), Math.max(0, pending - counts.processed()),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), settings.storeName());
        try {
            repository.recordOnJob(jobId, JSON.writeValueAsString(tally));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tally of numbers always serializes", e);
        }
        return tally;
    }

    /** The run's counters, updated by the workers. */
    private static final class Counts {
        final AtomicLong stored = new AtomicLong();
        final AtomicLong alreadyStored = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();

        long processed() {
            return stored.get() + alreadyStored.get() + failed.get() + skipped.get();
        }
    }

    private void fetchAll(ImageStore store, Set<String> codes, long limit, Instant deadline,
                          CancellationToken cancellation, Counts counts, long total, long started) {
        CircuitBreaker storeBreaker = breakerSettings.create("image store");
        storeBreaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                LOG.warn("the image store {} failed {} of the last {} uploads: no more images this run; the rest are "
                        + "left for the next", settings.storeName(), breakerSettings.failureRatePercent() + "%",
                        breakerSettings.minimumCalls());
            }
        });
        int concurrency = settings.concurrency();
        Semaphore slots = new Semaphore(concurrency);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, task -> {
            Thread thread = new Thread(task, "images-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicReference<RuntimeException> workerFailure = new AtomicReference<>();
        long submitted = 0;
        long lastLog = System.nanoTime();
        String after = null;
        List<ImageRepository.Pending> page;
        try {
            pages:
            while (!(page = repository.pending(settings.storeName(), codes, after, PAGE)).isEmpty()) {
                for (ImageRepository.Pending pending : page) {
                    if (workerFailure.get() != null || cancellation.isCancelled() || (limit > 0 && submitted >= limit)
                            || (deadline != null && Instant.now().isAfter(deadline))
                            || storeBreaker.getState() == CircuitBreaker.State.OPEN) {
                        break pages;
                    }
                    slots.acquire();
                    workers.execute(() -> {
                        try {
                            fetchOne(pending, store, storeBreaker, counts);
                        } catch (RuntimeException e) {
                            workerFailure.compareAndSet(null, e); // e.g. the database went away: end the phase
                        } finally {
                            slots.release();
                        }
                    });
                    submitted++;
                    after = pending.code();
                    if (System.nanoTime() - lastLog >= progressInterval.toNanos()) {
                        lastLog = System.nanoTime();
                        logProgress(counts, total, started);
                    }
                }
            }
            workers.shutdown();
            while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
                if (cancellation.isCancelled()) {
                    workers.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (workerFailure.get() != null) {
            throw workerFailure.get();
        }
    }

    private void logProgress(Counts counts, long total, long started) {
        long done = counts.processed();
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 0.001);
        double rate = done / seconds;
        String eta = rate > 0 && total > done
                ? ", ETA " + Durations.format(Duration.ofSeconds(Math.round((total - done) / rate))) : "";
        PROGRESS.info("images: {} of {} done ({} stored, {} already in the store, {} failed, {} skipped), "
                        + "{} images/s{}", done, total, counts.stored.get(), counts.alreadyStored.get(),
                counts.failed.get(), counts.skipped.get(), String.format("%.1f", rate), eta);
    }

    private void fetchOne(ImageRepository.Pending pending, ImageStore store, CircuitBreaker storeBreaker,
                          Counts counts) {
        HttpUrl url = HttpUrl.parse(pending.imageUrl());
        if (url == null) {
            fail(pending, "not an http(s) URL: " + pending.imageUrl(), counts);
            return;
        }
        CircuitBreaker hostBreaker = hostBreakers.computeIfAbsent(url.host(), this::hostBreaker);
        if (!hostBreaker.tryAcquirePermission() || !storeBreaker.tryAcquirePermission()) {
            counts.skipped.incrementAndGet();
            return;
        }
        long start = System.nanoTime();
        SourceHttpClient.FileAnswer answer;
        try {
            if (publicHostsOnly != null) {
                publicHostsOnly.lookup(url.host());
            }
            answer = client.getFile(url, pacer, "image/", settings.maxBytes());
            hostBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (PublicHostsOnly.PrivateAddressException e) {
            hostBreaker.releasePermission();
            storeBreaker.releasePermission();
            fail(pending, "refused: " + e.getMessage(), counts);
            return;
        } catch (UnknownHostException e) {
            hostBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            storeBreaker.releasePermission();
            fail(pending, ErrorType.NETWORK.code() + ": cannot resolve " + url.host(), counts);
            return;
        } catch (ApiException e) {
            if (e.getCause() instanceof PublicHostsOnly.PrivateAddressException refused) {
                hostBreaker.releasePermission();
                storeBreaker.releasePermission();
                fail(pending, "refused: redirected to " + refused.getMessage(), counts);
                return;
            }
            if (HOST_TROUBLE.contains(e.type())) {
                hostBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            } else {
                hostBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            storeBreaker.releasePermission();
            fail(pending, e.type().code() + ": " + e.getMessage(), counts);
            return;
        }
        long storing = System.nanoTime();
        ImageStore.Stored stored;
        try {
            stored = storeOnce(store, answer.bytes(), answer.contentType());
            storeBreaker.onSuccess(System.nanoTime() - storing, TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            storeBreaker.onError(System.nanoTime() - storing, TimeUnit.NANOSECONDS, e);
            LOG.debug("cannot store the image of {}: {}", pending.code(), e.getMessage());
            fail(pending, "store: " + e.getMessage(), counts);
            return;
        }
        String publicUrl = settings.publicBaseUrl() == null ? null
                : settings.publicBaseUrl() + store.publicPath(stored.relativePath());
        repository.record(new ImageRepository.Outcome(pending.code(), pending.imageUrl(), true, stored.relativePath(),
                stored.sha256(), stored.sizeBytes(), answer.contentType(), publicUrl, null, settings.storeName()));
        (stored.alreadyThere() ? counts.alreadyStored : counts.stored).incrementAndGet();
    }

    /**
     * Stores the bytes, or, when a worker is storing the same bytes right now (one picture under
     * two URLs), waits for it instead of uploading them twice.
     */
    private ImageStore.Stored storeOnce(ImageStore store, byte[] bytes, String contentType) throws IOException {
        ImageKey key = ImageKey.of(bytes, contentType);
        CompletableFuture<ImageStore.Stored> mine = new CompletableFuture<>();
        CompletableFuture<ImageStore.Stored> other = inFlight.putIfAbsent(key.relativePath(), mine);
        if (other != null) {
            try {
                ImageStore.Stored stored = other.join();
                return new ImageStore.Stored(stored.relativePath(), stored.sha256(), stored.sizeBytes(), true);
            } catch (CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        try {
            ImageStore.Stored stored = store.store(key, bytes, contentType);
            mine.complete(stored);
            return stored;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key.relativePath(), mine);
        }
    }

    private CircuitBreaker hostBreaker(String host) {
        CircuitBreaker breaker = breakerSettings.create("images " + host);
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                LOG.warn("image host {} failed {} of the last {} downloads: its other images are skipped this run "
                        + "and tried again next run", host, breakerSettings.failureRatePercent() + "%",
                        breakerSettings.minimumCalls());
            }
        });
        return breaker;
    }

    private void fail(ImageRepository.Pending pending, String error, Counts counts) {
        repository.record(new ImageRepository.Outcome(pending.code(), pending.imageUrl(), false, null, null, null, null,
                null, error, null));
        counts.failed.incrementAndGet();
    }
}
