package org.syncproducts.source.offdelta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.RequestPacer;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.model.ErrorType;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.file.CountingInputStream;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.off.OffJsonlSource;

/**
 * The Open Food Facts daily delta files ({@code type: off-delta}): {@code index.txt} at a base URL
 * (or in a local directory) lists the files of the last days, each the products changed in a
 * day in the JSONL dump format, gzip, named with the times of their first and last change.
 *
 * <p>Every file not yet applied is applied in name order, one after the other; the state stored
 * with every batch names the file being read and its last line read, so a killed run resumes at
 * that line, and once a file is read to its end the state names it as the last applied. Files
 * are streamed (no temp file), each bounded by {@code max_file_bytes}. A record newer than the
 * stored product is applied (the records carry {@code last_modified_t}).
 *
 * <p>Before anything is applied the source judges whether the deltas continue what was applied
 * before: the last delta file applied (its state), or the last complete full export load (the
 * largest {@code last_modified_t} an off-jsonl or off-csv source read, see
 * {@code ExportHorizon}). When they do not, or a listed file is missing, the run fails (exit 1)
 * with the command that repairs it, unless gaps are allowed. With neither, every offered file is
 * applied and a warning says the base load is missing. A {@code --full} run applies every
 * offered file and judges no gap.
 */
public final class OffDeltaSource implements ProductSource.Stateful {
    public static final String TYPE = "off-delta";
    /** Where Open Food Facts publishes its delta files. */
    public static final String DEFAULT_URL = "https://static.openfoodfacts.org/data/delta/";
    /** A day of changes is some hundreds of MB; a file past 2 GiB is not a delta file. */
    public static final long DEFAULT_MAX_FILE_BYTES = 2L << 30;
    /** Static files, a few requests a run: one a second is polite enough. */
    public static final double DEFAULT_REQUESTS_PER_MINUTE = 60;
    /** The published export a gap is repaired with, named in the gap message. */
    static final String EXPORT_URL = "https://static.openfoodfacts.org/data/openfoodfacts-products.jsonl.gz";
    private static final long MAX_INDEX_BYTES = 1L << 20;
    private static final int BUFFER_SIZE = 1 << 16;
    private static final Logger LOG = LoggerFactory.getLogger(OffDeltaSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a run adds to the source's own state: what a gap is judged against and what to do about one.
     *
     * @param exportUpTo    the largest {@code last_modified_t} of the last complete full export load, or null
     * @param exportSources the configured export sources, to name in the repair command
     * @param allowGap      apply the deltas despite a gap ({@code --allow-gap})
     * @param full          a {@code --full} run: every offered file
     */
    public record Run(Long exportUpTo, List<String> exportSources, boolean allowGap, boolean full) {
        public Run {
            exportSources = List.copyOf(exportSources);
        }
    }

    private final String name;
    private final DeltaLocation location;
    private final long maxFileBytes;
    private final boolean allowGapConfigured;
    private final Run run;

    private OffDeltaSource(String name, DeltaLocation location, long maxFileBytes, boolean allowGap, Run run) {
        this.name = name;
        this.location = location;
        this.maxFileBytes = maxFileBytes;
        this.allowGapConfigured = allowGap;
        this.run = run;
    }

    /**
     * Delta files at a base URL.
     *
     * @param settings  timeouts and retries
     * @param userAgent sent with every request
     */
    public static OffDeltaSource atUrl(String name, HttpUrl base, long maxFileBytes, boolean allowGap,
                                       HttpSettings settings, double requestsPerMinute, String userAgent,
                                       LookupContext context) {
        SourceHttpClient http = new SourceHttpClient(name, context.http().get(), settings, userAgent, context.clock());
        return new OffDeltaSource(name, new HttpLocation(base, http, RequestPacer.perMinute(name, requestsPerMinute),
                MAX_INDEX_BYTES), maxFileBytes, allowGap, new Run(null, List.of(), allowGap, false));
    }

    /** Delta files in a local directory. */
    public static OffDeltaSource inDirectory(String name, Path directory, long maxFileBytes, boolean allowGap) {
        return new OffDeltaSource(name, new DirectoryLocation(directory, MAX_INDEX_BYTES), maxFileBytes, allowGap,
                new Run(null, List.of(), allowGap, false));
    }

    /** This source for one run; {@code allow_gap: true} in the config holds whatever the run says. */
    public OffDeltaSource forRun(Run run) {
        return new OffDeltaSource(name, location, maxFileBytes, allowGapConfigured,
                new Run(run.exportUpTo(), run.exportSources(), run.allowGap() || allowGapConfigured, run.full()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The base (URL or directory): a resumed run must be reading the same deltas. */
    @Override
    public String fingerprint() {
        return TYPE + " " + location.describe();
    }

    @Override
    public boolean appliesNewerRecords() {
        return true;
    }

    @Override
    public RecordStream open(long resumeAfter, JsonNode stored) throws IOException {
        DeltaState state = readState(stored);
        DeltaLocation.Index index = location.index(run.full() ? DeltaState.NONE : state);
        if (index.unchanged()) {
            LOG.info("{}: {} is unchanged since the last run (nothing new)", name, DeltaLocation.INDEX);
            return new Unchanged(stored);
        }
        DeltaPlan plan = DeltaPlan.of(offered(index.text()), state, run.exportUpTo(), run.full());
        if (plan.baseMissing()) {
            LOG.warn("{}: no full export was loaded and no delta applied before, so products changed before the "
                    + "oldest delta are missing; load the export once: {}", name, repairCommand());
        }
        if (plan.gap() != null) {
            gap(plan.gap());
        }
        return new Stream(plan.files(), state, index);
    }

    /** Fails the run with the repair command, or (gaps allowed) says so and goes on. */
    private void gap(String why) {
        String message = "gap in the Open Food Facts deltas of " + name + ": " + why
                + "; products changed in between would be missing. Repair it with a full export load: "
                + repairCommand() + " (or run again with --allow-gap to apply the deltas anyway)";
        if (!run.allowGap()) {
            throw new DeltaGapException(message, why);
        }
        LOG.warn("{}: {}; applying the deltas anyway (gaps allowed)", name, why);
    }

    private String repairCommand() {
        return run.exportSources().isEmpty()
                ? "sync-products sync --full --from openfoodfacts-products.jsonl.gz (downloaded from " + EXPORT_URL + ")"
                : "sync-products sync --full --source " + run.exportSources().get(0);
    }

    /** The files the index lists, in name order; lines that name no delta file are left out. */
    private List<DeltaFile> offered(String index) {
        List<DeltaFile> files = new ArrayList<>();
        for (String line : index.split("\n")) {
            String fileName = line.strip();
            if (fileName.isEmpty()) {
                continue;
            }
            DeltaFile.parse(fileName).ifPresentOrElse(files::add,
                    () -> LOG.warn("{}: {} lists '{}', which is not a delta file name; left out", name,
                            DeltaLocation.INDEX, fileName.length() > 120 ? fileName.substring(0, 120) + "…" : fileName));
        }
        files.sort(null);
        return files;
    }

    private DeltaState readState(JsonNode stored) {
        if (stored == null || stored.isNull()) {
            return DeltaState.NONE;
        }
        try {
            return JSON.treeToValue(stored, DeltaState.class);
        } catch (JsonProcessingException e) {
            LOG.warn("{}: the stored state is not one this version reads ({}); judging it a first run", name,
                    e.getOriginalMessage());
            return DeltaState.NONE;
        }
    }

    /** The index did not change: nothing to read, and the state stays as it was. */
    private record Unchanged(JsonNode state) implements RecordStream {
        @Override
        public SourceRecord next() {
            return null;
        }

        @Override
        public InputProgress progress() {
            return InputProgress.UNKNOWN;
        }

        @Override
        public void close() {
            // Nothing was opened.
        }
    }

    /** The planned files, one after the other, as one stream of records with growing positions. */
    private final class Stream implements RecordStream {
        private final List<DeltaFile> files;
        private final DeltaLocation.Index index;
        private DeltaState state;
        private int nextFile;
        private DeltaFile file;
        private RecordStream records;
        /** The current file's bytes as stored, counted and bounded by {@code max_file_bytes}. */
        private CountingInputStream bytes;
        /** The position of the record before the current file's first line. */
        private long base;
        /** The last line of the current file returned (or skipped, when resuming). */
        private long line;
        private long doneBytes;
        private boolean stopped;
        private boolean finished;

        Stream(List<DeltaFile> files, DeltaState state, DeltaLocation.Index index) {
            this.files = files;
            this.state = state;
            this.index = index;
            this.base = state.file() != null && state.positionBase() != null ? state.positionBase() : 0;
        }

        @Override
        public SourceRecord next() throws IOException {
            while (!stopped) {
                if (records == null) {
                    if (nextFile == files.size()) {
                        finished = true;
                        stopped = true;
                        state = state.withIndex(index.etag(), index.lastModified());
                        return null;
                    }
                    openNext();
                    continue;
                }
                SourceRecord record = records.next();
                if (record == null) {
                    closeFile();
                    base += line;
                    line = 0;
                    state = state.applied(file);
                    LOG.info("{}: applied {}", name, file.name());
                    continue;
                }
                line = record.position();
                if (record instanceof SourceRecord.Failure failure
                        && failure.error().type() == ErrorType.TRUNCATED_INPUT) {
                    // A cut file is not applied: the next run reads it again.
                    stopped = true;
                }
                return at(base + line, record);
            }
            return null;
        }

        private void openNext() throws IOException {
            file = files.get(nextFile++);
            long skip = file.name().equals(state.file()) && state.line() != null ? state.line() : 0;
            DeltaLocation.Download download = location.open(file.name());
            if (download == null) {
                gap("the delta file " + file.name() + " listed in " + DeltaLocation.INDEX + " is missing at "
                        + location.describe());
                state = state.applied(file);
                return;
            }
            if (download.size() > maxFileBytes) {
                download.body().close();
                throw tooLarge(download.size() + " bytes");
            }
            bytes = new CountingInputStream(download.body(), maxFileBytes, read -> tooLarge("more than that was sent"));
            InputStream buffered = new BufferedInputStream(bytes, BUFFER_SIZE);
            InputStream content;
            try {
                content = isGzip(buffered) ? new GZIPInputStream(buffered, BUFFER_SIZE) : buffered;
            } catch (IOException e) {
                buffered.close();
                throw SyncProductsException.badInput(file.name() + " from " + location.describe()
                        + " is not a gzip delta file: " + e.getMessage());
            }
            if (skip > 0) {
                LOG.info("{}: resuming {} after line {}", name, file.name(), skip);
            }
            line = skip;
            records = OffJsonlSource.records(file.name(), content, this::fileProgress, skip);
        }

        private SyncProductsException tooLarge(String size) {
            return SyncProductsException.badInput(name + ": the delta file " + file.name() + " is larger than "
                    + "max_file_bytes (" + maxFileBytes + " bytes): " + size + "; nothing of it past the committed "
                    + "batches was applied. Check the source's url, or raise max_file_bytes");
        }

        /** Whether the stream starts with the gzip magic bytes (a server may have decoded the file already). */
        private static boolean isGzip(InputStream buffered) throws IOException {
            buffered.mark(2);
            int first = buffered.read();
            int second = buffered.read();
            buffered.reset();
            return first == 0x1f && second == 0x8b;
        }

        private InputProgress fileProgress() {
            return new InputProgress(doneBytes + (bytes == null ? 0 : bytes.count()), 0);
        }

        private void closeFile() throws IOException {
            if (records != null) {
                doneBytes += bytes.count();
                bytes = null;
                RecordStream closing = records;
                records = null;
                closing.close();
            }
        }

        private SourceRecord at(long position, SourceRecord record) {
            if (record instanceof SourceRecord.Item item) {
                return new SourceRecord.Item(position, item.product(), item.origin());
            }
            if (record instanceof SourceRecord.Failure failure) {
                return new SourceRecord.Failure(position, failure.error());
            }
            return record;
        }

        @Override
        public InputProgress progress() {
            return fileProgress();
        }

        @Override
        public JsonNode state() {
            DeltaState now = records != null && !finished ? state.reading(file, line, base) : state;
            return JSON.valueToTree(now);
        }

        @Override
        public void close() throws IOException {
            closeFile();
        }
    }
}
