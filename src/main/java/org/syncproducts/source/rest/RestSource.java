package org.syncproducts.source.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.ApiException;
import org.syncproducts.http.RequestPacer;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ItemError;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.lookup.LookupContext;

/**
 * An operator's REST API as a source ({@code type: rest}): pages of JSON records, mapped to
 * products by dotted paths, read politely (the rate limiter, retries with backoff and
 * Retry-After of the API lookups) and incrementally.
 *
 * <p>Incremental reads send the watermark (the largest {@code updated_at} seen by the last
 * complete read, less the lookback) in {@code updated_since_param}; the boundary is inclusive, so
 * records sharing the watermark's time are read again and left alone by the keyed upsert rather
 * than lost. The watermark only moves once every page was read, so a feed not sorted by time
 * loses nothing either. The page being read is part of the state stored with every batch: a
 * killed run resumes at that page. A page the feed repeats (the same request, or the same records
 * again) stops the read rather than loop.
 */
public final class RestSource implements ProductSource.Stateful {
    public static final String TYPE = "rest";
    private static final Logger LOG = LoggerFactory.getLogger(RestSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final RestOptions options;
    private final LookupContext context;
    private final Clock clock;

    public RestSource(String name, RestOptions options, LookupContext context) {
        this.name = name;
        this.options = options;
        this.context = context;
        this.clock = context.clock();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    public RestOptions options() {
        return options;
    }

    /** The feed as configured (never a secret): a resumed run must be reading the same feed. */
    @Override
    public String fingerprint() {
        return (options.post() ? "POST " : "GET ") + options.url() + " " + options.params();
    }

    @Override
    public boolean appliesNewerRecords() {
        return options.updatedAt() != null;
    }

    @Override
    public List<String> secretVariables() {
        return options.auth().secretVariables();
    }

    /** Pages of a run are small transactions: a stop or a kill loses at most a page or two. */
    @Override
    public int maxBatchSize() {
        return 1_000;
    }

    @Override
    public RecordStream open(long resumeAfter, JsonNode state) throws IOException {
        return new Stream(resumeAfter, readState(state));
    }

    /** The state between runs: the watermark, and the read in progress (absent once a read is complete). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record State(String watermark, String readAt, Run run) {
    }

    /**
     * A read in progress.
     *
     * @param since     the updated_since it sends (null: everything)
     * @param page      the page being read
     * @param pageStart the position of the record before the page's first
     * @param maxSeen   the largest updated_at among the records read so far
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Run(String since, Page page, long pageStart, String maxSeen, String startedAt) {
    }

    /** One page request: a URL given by the feed, or a page number, offset or cursor to build it with. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Page(String url, Integer number, Long offset, String cursor) {
    }

    private State readState(JsonNode state) {
        if (state == null || state.isNull()) {
            return new State(null, null, null);
        }
        try {
            return JSON.treeToValue(state, State.class);
        } catch (JsonProcessingException e) {
            LOG.warn("{}: the stored state is not one this version reads ({}); reading the whole feed",
                    name, e.getOriginalMessage());
            return new State(null, null, null);
        }
    }

    /** The environment value of a secret, or exit 78 naming the variable to set. */
    private String secret(String variable) {
        String value = context.envValue(variable);
        if (value == null) {
            throw SyncProductsException.config("source " + name + " needs the environment variable " + variable
                    + " (its credentials are read from the environment only); set it and run again");
        }
        return value;
    }

    private Headers headers() {
        Headers.Builder headers = new Headers.Builder();
        options.headers().forEach(headers::add);
        RestOptions.Auth auth = options.auth();
        switch (auth.kind()) {
            case BEARER -> headers.set("Authorization", "Bearer " + secret(auth.tokenEnv()));
            case BASIC -> {
                String user = auth.username() != null ? auth.username() : secret(auth.usernameEnv());
                String pair = user + ":" + secret(auth.passwordEnv());
                headers.set("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        pair.getBytes(StandardCharsets.UTF_8)));
            }
            case API_KEY -> {
                if (auth.header() != null) {
                    headers.set(auth.header(), secret(auth.keyEnv()));
                }
            }
            default -> {
                // No credentials.
            }
        }
        return headers.build();
    }

    /** A URL with the query-parameter key added, when the key goes there. */
    private HttpUrl withKey(HttpUrl url) {
        RestOptions.Auth auth = options.auth();
        if (auth.kind() != RestOptions.AuthKind.API_KEY || auth.queryParam() == null) {
            return url;
        }
        return url.newBuilder().setQueryParameter(auth.queryParam(), secret(auth.keyEnv())).build();
    }

    /** A URL as stored in the state: without the key, which is added again for each request. */
    private String withoutKey(HttpUrl url) {
        RestOptions.Auth auth = options.auth();
        return auth.queryParam() == null ? url.toString() : url.newBuilder().removeAllQueryParameters(auth.queryParam())
                .build().toString();
    }

    /** One read of the feed: pages fetched one at a time, records handed out in order. */
    private final class Stream implements RecordStream {
        private final SourceHttpClient http;
        private final RequestPacer pacer;
        private final Headers headers;
        private final String watermark;
        private final String readAt;
        private final String since;
        private final String startedAt;
        private final long skipUpTo;
        private final Set<String> requested = new HashSet<>();
        private Page page;
        private long pageStart;
        private long position;
        private String maxSeen;
        private JsonNode records;
        private int index;
        private Page next;
        /** Pages asked for so far; only the loader changes it, one page at a time. */
        private volatile int pages;
        /** The next page, asked for while the records of this one are handed out. */
        private Future<Loaded> pending;
        private final ExecutorService prefetch = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rest-prefetch-" + name);
            thread.setDaemon(true);
            return thread;
        });
        private boolean finished;
        /** Set when max_pages ended the read: the next run goes on with this page. */
        private Page leftOver;

        Stream(long resumeAfter, State state) {
            this.http = new SourceHttpClient(name, context.http().get(), options.http(),
                    context.userAgent(null), clock);
            this.pacer = RequestPacer.perMinute(name, options.requestsPerMinute());
            this.headers = headers();
            this.watermark = state.watermark();
            this.readAt = state.readAt();
            Run run = state.run();
            if (run != null) {
                since = run.since();
                page = run.page();
                pageStart = run.pageStart();
                maxSeen = run.maxSeen();
                startedAt = run.startedAt();
                LOG.info("{}: going on with the read started at {}, at page {}", name, startedAt, describe(page));
            } else {
                since = options.updatedSinceParam() == null || watermark == null ? null
                        : Watermarks.minus(watermark, options.lookback().at(Watermarks.instant(readAt),
                                clock.instant()));
                page = new Page(null, options.pagination().style() == RestOptions.PaginationStyle.PAGE
                        ? options.pagination().startPage() : null,
                        options.pagination().style() == RestOptions.PaginationStyle.OFFSET ? 0L : null, null);
                pageStart = resumeAfter;
                startedAt = clock.instant().toString();
            }
            this.skipUpTo = resumeAfter;
            this.position = pageStart;
            try {
                accept(load(page, true, null));
            } catch (RuntimeException e) {
                prefetch.shutdownNow();
                throw e;
            }
        }

        /** A page as fetched: its records and the request for the one after it (null: the last). */
        private record Loaded(JsonNode records, Page next) {
        }

        /** Makes a fetched page the current one, and asks for the next while it is read. */
        private void accept(Loaded loaded) {
            records = loaded.records();
            index = 0;
            next = loaded.next();
            pending = null;
            if (next != null && pages < options.maxPages()) {
                Page following = next;
                JsonNode previous = loaded.records();
                pending = prefetch.submit(() -> load(following, false, previous));
            }
        }

        private Loaded await(Future<Loaded> loading) {
            try {
                return loading.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SyncProductsException(ExitCode.INTERNAL, name + ": interrupted while waiting for a page");
            }
        }

        @Override
        public SourceRecord next() {
            while (true) {
                if (records != null && index < records.size()) {
                    JsonNode record = records.get(index++);
                    position++;
                    if (position <= skipUpTo) {
                        continue;
                    }
                    return map(record);
                }
                if (finished || next == null) {
                    finished = true;
                    return null;
                }
                if (pending == null) {
                    LOG.warn("{}: read max_pages ({}) pages; the next run goes on from page {}", name,
                            options.maxPages(), describe(next));
                    leftOver = next;
                    finished = true;
                    return null;
                }
                Loaded loaded = await(pending);
                page = next;
                pageStart = position;
                accept(loaded);
            }
        }

        private SourceRecord map(JsonNode record) {
            if (!record.isObject()) {
                return new SourceRecord.Failure(position, new ItemError(ErrorType.BAD_RESPONSE, position, null,
                        "record " + index + " of page " + describe(page) + " is not a JSON object"));
            }
            RawProduct product = new RawProduct();
            options.mapping().forEach((field, path) -> product.set(field, path.text(record)));
            if (options.updatedAt() != null) {
                String updated = options.updatedAt().text(record);
                if (Watermarks.instant(updated) != null
                        && (maxSeen == null || Watermarks.instant(updated).isAfter(Watermarks.instant(maxSeen)))) {
                    maxSeen = updated;
                }
            }
            return new SourceRecord.Item(position, product);
        }

        /**
         * Fetches one page and checks it.
         *
         * @param previous the records of the page before it, to catch a feed repeating a page
         */
        private Loaded load(Page page, boolean first, JsonNode previous) {
            HttpUrl url = options.url();
            Map<String, String> parameters = new LinkedHashMap<>(options.params());
            if (page.url() != null) {
                url = HttpUrl.parse(page.url());
                parameters.clear();
            } else {
                RestOptions.Pagination pagination = options.pagination();
                if (since != null) {
                    parameters.put(options.updatedSinceParam(), since);
                }
                if (pagination.sizeParam() != null && pagination.pageSize() > 0) {
                    parameters.put(pagination.sizeParam(), Integer.toString(pagination.pageSize()));
                }
                switch (pagination.style()) {
                    case PAGE -> parameters.put(pagination.pageParam(), Integer.toString(page.number()));
                    case OFFSET -> {
                        parameters.put(pagination.offsetParam(), Long.toString(page.offset()));
                        parameters.put(pagination.limitParam(), Integer.toString(pagination.pageSize()));
                    }
                    case CURSOR -> {
                        if (page.cursor() != null) {
                            parameters.put(pagination.cursorParam(), page.cursor());
                        }
                    }
                    default -> {
                        // The URL as configured, or as the feed gave it.
                    }
                }
            }
            String body = null;
            if (options.post() && page.url() == null) {
                body = toJson(parameters);
            } else {
                HttpUrl.Builder builder = url.newBuilder();
                parameters.forEach(builder::setQueryParameter);
                url = builder.build();
            }
            if (!requested.add(withoutKey(url) + " " + body)) {
                throw stopped(first, "the feed sent page " + describe(page) + " twice (a pagination loop); stopped there");
            }
            pages++;
            SourceHttpClient.JsonAnswer answer;
            try {
                answer = http.requestJson(withKey(url), headers, body, pacer, false);
            } catch (ApiException e) {
                throw failure(first, page, e);
            }
            JsonNode pageRecords = options.recordsPath().select(answer.body());
            if (!pageRecords.isArray()) {
                throw stopped(first, "page " + describe(page) + " has no array of records at records_path '"
                        + options.recordsPath() + "'");
            }
            if (!pageRecords.isEmpty() && pageRecords.equals(previous)) {
                throw stopped(first, "the feed sent the records of the previous page again for page " + describe(page)
                        + " (a pagination loop); stopped there");
            }
            return new Loaded(pageRecords, nextPage(page, url, answer, pageRecords));
        }

        private Page nextPage(Page page, HttpUrl url, SourceHttpClient.JsonAnswer answer, JsonNode pageRecords) {
            HttpUrl linked = LinkHeader.next(answer.headers(), url);
            if (linked != null) {
                return new Page(withoutKey(linked), null, null, null);
            }
            RestOptions.Pagination pagination = options.pagination();
            int size = pageRecords.size();
            boolean shortPage = size == 0 || pagination.pageSize() > 0 && size < pagination.pageSize();
            return switch (pagination.style()) {
                case PAGE -> shortPage || page.url() != null ? null : new Page(null, page.number() + 1, null, null);
                case OFFSET -> shortPage || page.url() != null ? null : new Page(null, null, page.offset() + size, null);
                case CURSOR -> {
                    String cursor = pagination.cursorPath().text(answer.body());
                    yield size == 0 || cursor == null || cursor.isBlank() ? null : new Page(null, null, null, cursor);
                }
                case NEXT_URL -> {
                    String text = pagination.nextUrlPath().text(answer.body());
                    HttpUrl resolved = text == null || text.isBlank() ? null : url.resolve(text.strip());
                    yield size == 0 || resolved == null ? null : new Page(withoutKey(resolved), null, null, null);
                }
                default -> null;
            };
        }

        /** A failed request: credentials refused is exit 78, no usable first page 65 or 69, a later page 1. */
        private SyncProductsException failure(boolean first, Page page, ApiException e) {
            if (e.type() == ErrorType.AUTH) {
                String variables = String.join(", ", options.auth().secretVariables());
                return SyncProductsException.config(name + " answered HTTP " + e.httpStatus()
                        + ": the credentials were refused" + (variables.isEmpty() ? "; the source has no auth: configured"
                        : "; check " + variables));
            }
            if (e.type() == ErrorType.BAD_RESPONSE || !first) {
                return stopped(first, e.getMessage() + " for page " + describe(page));
            }
            return SyncProductsException.unavailable(e.getMessage() + " (after " + e.attempts() + " tries)", e);
        }

        private SyncProductsException stopped(boolean first, String message) {
            if (first) {
                return SyncProductsException.badInput(name + ": " + message + "; nothing was written");
            }
            return new SyncProductsException(ExitCode.FAILURE, name + ": " + message + "; the records before it are "
                    + "kept, and the next run reads from the last stored watermark");
        }

        @Override
        public InputProgress progress() {
            return new InputProgress(pages, 0);
        }

        @Override
        public JsonNode state() {
            State state;
            if (finished && leftOver == null) {
                String newest = maxSeen == null || watermark != null
                        && !Watermarks.instant(maxSeen).isAfter(Watermarks.instant(watermark)) ? watermark : maxSeen;
                state = new State(newest, startedAt, null);
            } else {
                Page at = leftOver != null ? leftOver : page;
                long start = leftOver != null ? position : pageStart;
                state = new State(watermark, readAt, new Run(since, at, start, maxSeen, startedAt));
            }
            return JSON.valueToTree(state);
        }

        @Override
        public void close() {
            prefetch.shutdownNow();
            records = null;
        }
    }

    private static String describe(Page page) {
        if (page.number() != null) {
            return Integer.toString(page.number());
        }
        if (page.offset() != null) {
            return "at offset " + page.offset();
        }
        if (page.cursor() != null) {
            return "with cursor " + page.cursor();
        }
        return page.url() == null ? "1" : page.url();
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request parameters always serialize", e);
        }
    }
}
