package org.syncproducts.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;
import org.syncproducts.download.Checksum;
import org.syncproducts.download.DownloadListener;
import org.syncproducts.download.ExportCache;
import org.syncproducts.download.ExportDownload;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.http.SourceHttpClient;

/**
 * An export read from a URL ({@code url:} on an {@code off-jsonl} or {@code off-csv} source, or
 * {@code sync --from URL}). Before it is read, {@link #fetch} brings the download cache up to
 * date ({@link ExportDownload}: a conditional request, a resumed or fresh download, the
 * checksum); then it reads the cached file as the file source of its format does. Its
 * fingerprint names the download (URL, ETag, size), not the cache path, so a stopped job of an
 * unchanged export resumes from its checkpoint, and a new export starts afresh.
 */
public final class UrlExportSource implements ProductSource {
    /** Downloads take long: no bound on the whole call (the read timeout bounds silence), and more tries. */
    public static final int DEFAULT_ATTEMPTS = 5;

    private final String name;
    private final String type;
    private final HttpUrl url;
    private final Checksum checksum;
    private final HttpSettings http;
    private ExportDownload.Fetched fetched;
    private ProductSource file;

    /**
     * @param type {@code off-jsonl} or {@code off-csv}
     * @param http timeouts and retries of the download; its call timeout is ignored
     */
    public UrlExportSource(String name, String type, HttpUrl url, Checksum checksum, HttpSettings http) {
        this.name = name;
        this.type = type;
        this.url = url;
        this.checksum = checksum;
        this.http = new HttpSettings(http.connectTimeout(), http.readTimeout(), Duration.ZERO, http.maxResponseBytes(),
                http.attempts(), http.initialBackoff(), http.maxBackoff(), http.maxRetryAfter());
    }

    /** The download settings of a source with none configured. */
    public static HttpSettings defaultHttp() {
        HttpSettings defaults = HttpSettings.defaults();
        return new HttpSettings(defaults.connectTimeout(), defaults.readTimeout(), Duration.ZERO,
                defaults.maxResponseBytes(), DEFAULT_ATTEMPTS, defaults.initialBackoff(), defaults.maxBackoff(),
                defaults.maxRetryAfter());
    }

    public HttpUrl url() {
        return url;
    }

    public Checksum checksum() {
        return checksum;
    }

    /** Timeouts and retries for the client {@link ExportDownload} is given. */
    public HttpSettings http() {
        return http;
    }

    /**
     * Fetches the export into {@code cacheDir} with this source's timeouts and retries; the source
     * then reads the cached file.
     *
     * @param http          the process's one client
     * @param userAgent     sent with every request
     * @param stopRequested polled during the download; true stops it ({@link ExportDownload.Stopped})
     */
    public ExportDownload.Fetched fetch(Path cacheDir, SharedHttpClient http, String userAgent,
                                        DownloadListener listener, BooleanSupplier stopRequested) {
        SourceHttpClient client = new SourceHttpClient(name, http.get(), this.http, userAgent, Clock.systemUTC());
        return fetch(new ExportDownload(new ExportCache(cacheDir), client, listener, stopRequested, Clock.systemUTC()));
    }

    /** Fetches the export with {@code download}; the source then reads the cached file. */
    public ExportDownload.Fetched fetch(ExportDownload download) {
        ExportDownload.Fetched result = download.fetch(url, checksum);
        this.file = FileSources.forFile(result.file(), type, name);
        this.fetched = result;
        return result;
    }

    /** What the last {@link #fetch} found, or null before it. */
    public ExportDownload.Fetched fetched() {
        return fetched;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String fingerprint() {
        fileSource();
        return fetched.fingerprint();
    }

    @Override
    public RecordStream open(long resumeAfter) throws IOException {
        return fileSource().open(resumeAfter);
    }

    @Override
    public RecordStream open(long resumeAfter, JsonNode state) throws IOException {
        return fileSource().open(resumeAfter, state);
    }

    @Override
    public boolean appliesNewerRecords() {
        return fileSource().appliesNewerRecords();
    }

    /** An export is read whole, like the file it is downloaded to. */
    @Override
    public boolean readsWholeCatalogue() {
        return true;
    }

    @Override
    public int maxBatchSize() {
        return fileSource().maxBatchSize();
    }

    private ProductSource fileSource() {
        if (file == null) {
            throw new IllegalStateException("the export of source " + name + " is read after fetch()");
        }
        return file;
    }
}
