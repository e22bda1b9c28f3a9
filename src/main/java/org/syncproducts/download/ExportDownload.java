package org.syncproducts.download;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.ApiException;
import org.syncproducts.http.RequestPacer;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.model.ErrorType;

/**
 * Fetches an export by URL into the {@link ExportCache}, the way a large file should be fetched:
 * <ul>
 *   <li>when a complete copy is cached, one conditional request ({@code If-None-Match} /
 *       {@code If-Modified-Since}); a 304 means the cached copy is used as it is;</li>
 *   <li>a download interrupted (the connection cut, the process killed) is resumed from the bytes
 *       on disk with {@code Range} and {@code If-Range}; a server that answers 200 instead of
 *       206 (it ignores ranges, or the export changed) is downloaded again from the start, and a
 *       416 either completes the part (it was whole) or starts over;</li>
 *   <li>a body shorter than its {@code Content-Length} or {@code Content-Range} total is
 *       retried (resuming), then refused (exit 69), the part kept for the next run;</li>
 *   <li>the configured {@link Checksum} is verified before the file is used; a mismatch
 *       discards the download (exit 65).</li>
 * </ul>
 * Requests go through the source's {@link SourceHttpClient} (User-Agent, retries with backoff).
 * Only the complete, verified file is renamed into place, so a caller never reads a partial one.
 */
public final class ExportDownload {
    private static final Logger LOG = LoggerFactory.getLogger(ExportDownload.class);
    /** A published checksum file holds a line or a few; anything larger is not one. */
    private static final long MAX_CHECKSUM_BYTES = 64 * 1024;
    /** Fresh starts after a 416 or a range the server did not honour, before giving up. */
    private static final int MAX_RESTARTS = 2;
    private static final Set<Integer> ANSWERS = Set.of(304, 416);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");
    private static final int BUFFER_SIZE = 1 << 16;

    /**
     * The export on disk after {@link #fetch}.
     *
     * @param url          where it comes from
     * @param file         the complete (and, when a checksum was configured, verified) file
     * @param changed      whether this fetch brought a new version into the cache; false when the
     *                     server answered 304 or sent the version already cached. It compares with
     *                     the cache, not with what a sync loaded: compare {@link #fingerprint()}
     *                     with a job's input for that
     * @param etag         the server's ETag, or null
     * @param lastModified the server's Last-Modified, or null
     * @param size         bytes
     * @param sha256       the verified SHA-256 in hex, or null when no checksum was configured
     */
    public record Fetched(HttpUrl url, Path file, boolean changed, String etag, String lastModified, long size,
                          String sha256) {
        /** Identifies this version of the export (see {@link ExportDownload#fingerprint}). */
        public String fingerprint() {
            return ExportDownload.fingerprint(url, etag, lastModified, size);
        }
    }

    /**
     * Identifies a version of an export: its URL (without credentials or query), ETag (else
     * Last-Modified) and size. An unchanged export keeps it, so a sync of it that was stopped
     * resumes from its checkpoint; a job records it as its source's input.
     */
    public static String fingerprint(HttpUrl url, String etag, String lastModified, long size) {
        String version = etag != null ? etag : lastModified != null ? lastModified : "";
        return display(url) + "|" + version + "|" + size;
    }

    /** The download was stopped (Ctrl-C, SIGTERM) between two buffers; the part is kept for the next run. */
    public static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message, null, false, false);
        }
    }

    private enum Outcome { UNCHANGED, COMPLETE, RESTART }

    private final ExportCache cache;
    private final SourceHttpClient http;
    private final RequestPacer pacer;
    private final DownloadListener listener;
    private final BooleanSupplier stopRequested;
    private final Clock clock;

    /**
     * @param http          the source's client (its settings should have no call timeout: a large
     *                      export takes long; the read timeout bounds silence)
     * @param stopRequested polled between buffers; true stops the download, keeping the part
     */
    public ExportDownload(ExportCache cache, SourceHttpClient http, DownloadListener listener,
                          BooleanSupplier stopRequested, Clock clock) {
        this.cache = cache;
        this.http = http;
        // A download makes a request or a few (the export, its checksum, resumes): a tenth of a second apart.
        this.pacer = RequestPacer.perMinute("download", 600);
        this.listener = listener;
        this.stopRequested = stopRequested;
        this.clock = clock;
    }

    /** The URL as it may be shown and recorded: no user, password, query or fragment. */
    public static String display(HttpUrl url) {
        return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
    }

    /**
     * Brings the cache up to date with {@code url} and returns the file to read.
     *
     * @throws SyncProductsException 65 for a checksum mismatch, 69 when the server cannot deliver
     *                               the file, 78 for a refused URL or an unwritable cache, 75 when
     *                               another process downloads the same URL
     * @throws Stopped               when a stop was requested during the download
     */
    public Fetched fetch(HttpUrl url, Checksum checksum) {
        try (FileChannel lock = cache.lock(url)) {
            return fetchLocked(url, checksum);
        } catch (IOException e) {
            throw SyncProductsException.config("cannot write the download cache " + cache.directory() + ": "
                    + e.getMessage() + "; set sync.cache_dir (or --cache-dir) to a writable directory");
        }
    }

    private Fetched fetchLocked(HttpUrl url, Checksum checksum) throws IOException {
        Path file = cache.file(url);
        Optional<ExportCache.Entry> current = cache.entry(file).filter(entry -> entry.url().equals(display(url)));
        for (int restarts = 0; ; restarts++) {
            Outcome outcome;
            try {
                outcome = http.exchange(url, ANSWERS, pacer, new Attempt(url, current.orElse(null)));
            } catch (ApiException e) {
                throw failed(url, e);
            }
            if (outcome == Outcome.UNCHANGED && current.isPresent()) {
                LOG.info("{} has not changed (HTTP 304): using the cached copy {}", display(url), file);
                return fetched(url, file, false, verifyCached(url, file, current.get(), checksum));
            }
            if (outcome == Outcome.COMPLETE) {
                return completed(url, current, checksum);
            }
            if (restarts == MAX_RESTARTS) {
                throw SyncProductsException.unavailable("cannot download " + display(url) + ": the server answered "
                        + "ranges and conditions inconsistently " + (restarts + 1) + " times; try again later", null);
            }
        }
    }

    /** One request: conditional, resuming or fresh, by what is on disk when it is sent. */
    private final class Attempt implements SourceHttpClient.Exchange<Outcome> {
        private final HttpUrl url;
        private final ExportCache.Entry current;
        private final Path part;
        private long resumeFrom;
        private boolean conditional;

        Attempt(HttpUrl url, ExportCache.Entry current) {
            this.url = url;
            this.current = current;
            this.part = cache.part(url);
        }

        @Override
        public Headers headers() throws IOException {
            Headers.Builder headers = new Headers.Builder();
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            String validator = cache.entry(part).map(ExportDownload::rangeValidator).orElse(null);
            resumeFrom = have > 0 && validator != null ? have : 0;
            conditional = false;
            if (resumeFrom > 0) {
                headers.add("Range", "bytes=" + resumeFrom + "-");
                headers.add("If-Range", validator);
            } else {
                // A part that cannot be resumed safely (no validator to tie it to one version) is dropped.
                cache.delete(part);
                if (current != null && (current.etag() != null || current.lastModified() != null)) {
                    conditional = true;
                    if (current.etag() != null) {
                        headers.add("If-None-Match", current.etag());
                    }
                    if (current.lastModified() != null) {
                        headers.add("If-Modified-Since", current.lastModified());
                    }
                }
            }
            return headers.build();
        }

        @Override
        public Outcome read(Response response) throws IOException, ApiException {
            int status = response.code();
            if (status == 304) {
                return conditional ? Outcome.UNCHANGED : Outcome.RESTART;
            }
            if (status == 416) {
                Matcher whole = UNSATISFIED_RANGE.matcher(response.header("Content-Range", ""));
                if (resumeFrom > 0 && whole.matches() && Long.parseLong(whole.group(1)) == resumeFrom) {
                    // The part was already whole (the process stopped before renaming it).
                    return Outcome.COMPLETE;
                }
                LOG.info("{}: the server cannot resume after byte {} (HTTP 416); downloading it again",
                        display(url), resumeFrom);
                cache.delete(part);
                return Outcome.RESTART;
            }
            long start = 0;
            long total = response.body() == null ? -1 : response.body().contentLength();
            if (status == 206) {
                Matcher range = CONTENT_RANGE.matcher(response.header("Content-Range", ""));
                if (!range.matches() || Long.parseLong(range.group(1)) != resumeFrom) {
                    cache.delete(part);
                    return Outcome.RESTART;
                }
                start = resumeFrom;
                total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
                if (resumeFrom > 0) {
                    LOG.info("{}: resuming the download after byte {}", display(url), resumeFrom);
                }
            } else if (resumeFrom > 0) {
                LOG.info("{}: the server sent the whole file instead of the rest (HTTP {}); downloading it from the "
                        + "start", display(url), status);
            }
            if (start == 0) {
                Files.write(part, new byte[0]);
                cache.writeEntry(part, new ExportCache.Entry(display(url), response.header("ETag"),
                        response.header("Last-Modified"), total, null, clock.instant()));
            }
            long done = copy(response.body(), start, total);
            if (total >= 0 && done != total) {
                // Retried like a cut connection: the next try resumes from what was written.
                throw new ApiException(ErrorType.NETWORK, "the download of " + display(url) + " ended at byte " + done
                        + " of " + total, status, null, null);
            }
            return Outcome.COMPLETE;
        }

        private long copy(ResponseBody body, long start, long total) throws IOException {
            long done = start;
            listener.onStart(part.getFileName().toString(), done, total);
            try (InputStream in = body.byteStream();
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(part, StandardOpenOption.WRITE,
                         StandardOpenOption.APPEND), BUFFER_SIZE)) {
                byte[] buffer = new byte[BUFFER_SIZE];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    if (stopRequested.getAsBoolean()) {
                        out.flush();
                        throw new Stopped("stopped while downloading " + display(url) + " at byte " + (done + read)
                                + "; the next run resumes from there");
                    }
                    out.write(buffer, 0, read);
                    done += read;
                    listener.onProgress(done, total);
                }
            } finally {
                listener.onEnd();
            }
            return done;
        }
    }

    /** The validator that ties a resumed range to the version the part began with: a strong ETag, else Last-Modified. */
    private static String rangeValidator(ExportCache.Entry entry) {
        if (entry.etag() != null && !entry.etag().startsWith("W/")) {
            return entry.etag();
        }
        return entry.lastModified();
    }

    private Fetched completed(HttpUrl url, Optional<ExportCache.Entry> current, Checksum checksum) throws IOException {
        Path part = cache.part(url);
        long size = Files.size(part);
        ExportCache.Entry started = cache.entry(part).orElse(new ExportCache.Entry(display(url), null, null, size,
                null, clock.instant()));
        String sha256 = checksum.configured() ? verify(url, part, checksum, true) : null;
        ExportCache.Entry entry = new ExportCache.Entry(display(url), started.etag(), started.lastModified(), size,
                sha256, clock.instant());
        boolean changed = current.map(old -> !sameVersion(old, entry)).orElse(true);
        cache.complete(url, entry);
        LOG.info("{}: downloaded {} bytes into {}{}", display(url), size, cache.file(url),
                sha256 == null ? "" : " (SHA-256 verified)");
        return fetched(url, cache.file(url), changed, entry);
    }

    /** A cached copy the server says is current: checked again only when the checksum it was verified with differs. */
    private ExportCache.Entry verifyCached(HttpUrl url, Path file, ExportCache.Entry entry, Checksum checksum)
            throws IOException {
        if (!checksum.configured()) {
            return entry;
        }
        boolean verified = entry.sha256() != null && (checksum.sha256() == null || checksum.sha256().equals(entry.sha256()));
        if (verified) {
            return entry;
        }
        ExportCache.Entry checked = entry.verified(verify(url, file, checksum, false));
        cache.writeEntry(file, checked);
        return checked;
    }

    /**
     * Checks {@code file} against every configured checksum and returns its SHA-256; a mismatch
     * is refused (exit 65), and a fresh download is discarded with it.
     */
    private String verify(HttpUrl url, Path file, Checksum checksum, boolean discard) throws IOException {
        LOG.info("{}: checking the SHA-256 of {}", display(url), file);
        String actual = Checksum.sha256Of(file);
        String expected = checksum.sha256();
        String origin = "sha256 in the config";
        if (expected == null || actual.equals(expected)) {
            if (checksum.url() != null) {
                expected = published(checksum.url(), url.pathSegments().get(url.pathSegments().size() - 1));
                origin = display(checksum.url());
            }
        }
        if (!actual.equals(expected)) {
            if (discard) {
                cache.delete(file);
            }
            throw SyncProductsException.badInput(display(url) + ": the download's SHA-256 is " + actual + ", but "
                    + origin + " says " + expected + "; the file " + (discard ? "was discarded" : "is not used")
                    + " and nothing was written: run again to download it anew, or fix the checksum");
        }
        return actual;
    }

    /** The digest the published checksum file gives for {@code fileName}. */
    private String published(HttpUrl checksumUrl, String fileName) {
        String text;
        try {
            text = http.exchange(checksumUrl, Set.of(), pacer, new SourceHttpClient.Exchange<>() {
                @Override
                public Headers headers() {
                    return Headers.of();
                }

                @Override
                public String read(Response response) throws IOException, ApiException {
                    BufferedSource source = response.body().source();
                    if (source.request(MAX_CHECKSUM_BYTES + 1)) {
                        throw new ApiException(ErrorType.BAD_RESPONSE, display(checksumUrl) + " is larger than "
                                + MAX_CHECKSUM_BYTES + " bytes: not a checksum file", response.code(), null, null);
                    }
                    return source.readString(StandardCharsets.UTF_8);
                }
            });
        } catch (ApiException e) {
            throw failed(checksumUrl, e);
        }
        String digest = Checksum.published(text, fileName);
        if (digest == null) {
            throw SyncProductsException.badInput(display(checksumUrl) + " holds no SHA-256 for " + fileName
                    + " (expected a line '<64 hex digits>  " + fileName + "'); check checksum_url");
        }
        return digest;
    }

    private SyncProductsException failed(HttpUrl url, ApiException e) {
        Path part = cache.part(url);
        long kept = 0;
        try {
            kept = Files.isRegularFile(part) ? Files.size(part) : 0;
        } catch (IOException sizeUnknown) {
            LOG.debug("cannot read the size of {}: {}", part, sizeUnknown.getMessage());
        }
        String resume = kept > 0 ? "; the " + kept + " bytes downloaded are kept and the next run resumes from there"
                : "";
        int exitCode = e.type() == ErrorType.AUTH || e.type() == ErrorType.VALIDATION ? ExitCode.CONFIG
                : ExitCode.UNAVAILABLE;
        return new SyncProductsException(exitCode, "cannot download " + display(url) + ": " + e.getMessage()
                + (e.attempts() > 1 ? " (after " + e.attempts() + " tries)" : "") + resume, e);
    }

    private static boolean sameVersion(ExportCache.Entry old, ExportCache.Entry fresh) {
        if (old.etag() != null && fresh.etag() != null) {
            return old.etag().equals(fresh.etag());
        }
        return old.lastModified() != null && old.lastModified().equals(fresh.lastModified()) && old.size() == fresh.size();
    }

    private static Fetched fetched(HttpUrl url, Path file, boolean changed, ExportCache.Entry entry) {
        return new Fetched(url, file, changed, entry.etag(), entry.lastModified(), entry.size(), entry.sha256());
    }
}
