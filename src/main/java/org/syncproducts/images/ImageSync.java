package org.syncproducts.images;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.config.ImageSettings;
import org.syncproducts.http.ApiException;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.RequestPacer;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.store.ImageRepository;
import org.syncproducts.sync.CancellationToken;

/**
 * {@code sync --images}: downloads the front image of every product that has an image URL and no
 * stored image for it, into a {@link ContentAddressedStore}, and records path, hash, size, status
 * and public URL. An image already stored from the same URL is not downloaded again. A failed
 * download is recorded and tried again on the next run; it never fails the sync.
 */
public final class ImageSync {
    private static final Logger LOG = LoggerFactory.getLogger(ImageSync.class);
    private static final int PAGE = 500;

    /** What a run did. */
    public record Tally(long stored, long alreadyOnDisk, long failed) {
    }

    private final ImageRepository repository;
    private final ImageSettings settings;
    private final SourceHttpClient client;
    private final RequestPacer pacer;
    private final ContentAddressedStore store;

    public ImageSync(ImageRepository repository, ImageSettings settings, SharedHttpClient http, String userAgent,
                     Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.client = new SourceHttpClient("images", http.get(), HttpSettings.defaults(), userAgent, clock);
        this.pacer = RequestPacer.perMinute("images", settings.perMinute());
        this.store = new ContentAddressedStore(settings.directory());
    }

    /** Fetches every pending image once, in code order, until done or cancelled. */
    public Tally run(CancellationToken cancellation) {
        long stored = 0;
        long alreadyOnDisk = 0;
        long failed = 0;
        String after = null;
        List<ImageRepository.Pending> page;
        while (!cancellation.isCancelled() && !(page = repository.pending(after, PAGE)).isEmpty()) {
            for (ImageRepository.Pending pending : page) {
                if (cancellation.isCancelled()) {
                    break;
                }
                Fetched fetched = fetch(pending);
                repository.record(fetched.outcome());
                if (!fetched.outcome().stored()) {
                    failed++;
                } else if (fetched.alreadyOnDisk()) {
                    alreadyOnDisk++;
                } else {
                    stored++;
                }
                after = pending.code();
            }
        }
        return new Tally(stored, alreadyOnDisk, failed);
    }

    /** One download's outcome, and whether the same bytes were already in the store. */
    private record Fetched(ImageRepository.Outcome outcome, boolean alreadyOnDisk) {
    }

    private Fetched fetch(ImageRepository.Pending pending) {
        HttpUrl url = HttpUrl.parse(pending.imageUrl());
        if (url == null) {
            return failure(pending, "not an http(s) URL: " + pending.imageUrl());
        }
        try {
            SourceHttpClient.FileAnswer answer = client.getFile(url, pacer, "image/", settings.maxBytes());
            ContentAddressedStore.Stored stored = store.store(answer.bytes(), answer.contentType());
            String publicUrl = settings.publicBaseUrl() == null ? null : settings.publicBaseUrl() + stored.relativePath();
            return new Fetched(new ImageRepository.Outcome(pending.code(), pending.imageUrl(), true,
                    stored.relativePath(), stored.sha256(), stored.sizeBytes(), answer.contentType(), publicUrl, null),
                    stored.alreadyThere());
        } catch (ApiException e) {
            return failure(pending, e.type().code() + ": " + e.getMessage());
        } catch (IOException e) {
            LOG.warn("cannot write an image under {}: {}", settings.directory(), e.getMessage());
            return failure(pending, "cannot write under " + settings.directory() + ": " + e.getMessage());
        }
    }

    private static Fetched failure(ImageRepository.Pending pending, String error) {
        return new Fetched(new ImageRepository.Outcome(pending.code(), pending.imageUrl(), false, null, null, null, null,
                null, error), false);
    }
}
