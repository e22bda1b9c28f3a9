package org.syncproducts.images;

import java.util.Map;
import org.syncproducts.config.ImageSettings;

/** Opens the configured {@link ImageStore}. */
public final class ImageStores {
    private ImageStores() {
    }

    /**
     * The S3 bucket when one is configured (checked at once: see {@link S3ImageStore#open}), else
     * the local directory.
     *
     * @param env the tool's environment, for AWS credentials
     */
    public static ImageStore open(ImageSettings settings, Map<String, String> env) {
        return settings.s3() != null ? S3ImageStore.open(settings.s3(), env, settings.concurrency())
                : new ContentAddressedStore(settings.directory());
    }
}
