package org.syncproducts.verify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.syncproducts.images.ImageStore;
import org.syncproducts.store.ImageRepository;

/**
 * {@code verify --images}: whether a random sample of the images recorded as stored are still in
 * the store (one existence check each: a HEAD for a bucket), and the command that fetches the
 * missing ones again.
 */
public final class StoredImagesCheck {
    /** Codes named in the message and in the suggested command at most. */
    private static final int NAMED = 20;

    private StoredImagesCheck() {
    }

    public static VerifyCheck run(ImageRepository repository, ImageStore store, String storeName, int sample) {
        List<ImageRepository.StoredImage> images = repository.sample(storeName, sample);
        List<String> missing = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (ImageRepository.StoredImage image : images) {
            try {
                if (!store.exists(image.path())) {
                    missing.add(image.code());
                }
            } catch (IOException e) {
                unreadable.add(image.code() + " (" + e.getMessage() + ")");
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("store", storeName);
        figures.put("recorded", repository.countStored(storeName));
        figures.put("sampled", images.size());
        figures.put("missing", missing.size());
        figures.put("missing_codes", missing);
        figures.put("unreadable", unreadable.size());
        if (images.isEmpty()) {
            return new VerifyCheck("images", true, "no images are recorded as stored in " + storeName, figures);
        }
        if (missing.isEmpty() && unreadable.isEmpty()) {
            return new VerifyCheck("images", true, "all " + images.size() + " sampled images are in " + storeName,
                    figures);
        }
        StringBuilder message = new StringBuilder();
        if (!missing.isEmpty()) {
            String codes = String.join(",", missing.subList(0, Math.min(NAMED, missing.size())));
            message.append(missing.size()).append(" of ").append(images.size()).append(" sampled images are missing ")
                    .append("from ").append(storeName).append(" (").append(codes)
                    .append(missing.size() > NAMED ? ", ..." : "").append("): fetch them again with sync-products ")
                    .append("sync --images --upcs ").append(codes);
        }
        if (!unreadable.isEmpty()) {
            message.append(message.isEmpty() ? "" : "; ").append(unreadable.size()).append(" could not be checked: ")
                    .append(unreadable.get(0));
        }
        return new VerifyCheck("images", false, message.toString(), figures);
    }
}
