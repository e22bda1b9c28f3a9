package org.syncproducts.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Where {@code sync --images} keeps product images and how it fetches them.
 *
 * @param directory         the local content-addressed store ({@code ab/cd/<sha256>.<ext>} below it);
 *                          used when {@code s3} is null
 * @param s3                the S3 bucket images are stored in instead, or null
 * @param publicBaseUrl     the URL the store is served at (a CDN), or null: a stored image's
 *                          public URL is this plus its path (its object key in a bucket)
 * @param maxBytes          larger images are refused
 * @param perMinute         downloads a minute, over all image hosts
 * @param concurrency       images fetched and stored at once
 * @param allowPrivateHosts whether image URLs may point at loopback, link-local and private addresses
 */
public record ImageSettings(Path directory, S3Location s3, String publicBaseUrl, long maxBytes, double perMinute,
                            int concurrency, boolean allowPrivateHosts) {
    public static final long DEFAULT_MAX_BYTES = 5L << 20;
    public static final double DEFAULT_PER_MINUTE = 60;
    public static final int DEFAULT_CONCURRENCY = 4;
    /** The config keys of the {@code sync:} section that this record reads. */
    static final Set<String> KEYS = Set.of("images_store", "images_dir", "images_public_url", "image_max_bytes",
            "images_per_minute", "images_concurrency", "images_allow_private_hosts", "images_s3_endpoint",
            "images_s3_region", "images_s3_path_style");
    private static final String DEFAULT_REGION = "us-east-1";

    public ImageSettings {
        if (directory == null && s3 == null) {
            throw new IllegalArgumentException("a directory or an S3 location is needed");
        }
        if (publicBaseUrl != null && !publicBaseUrl.endsWith("/")) {
            publicBaseUrl = publicBaseUrl + "/";
        }
    }

    /** The local directory store, no public URL, default limits. */
    public static ImageSettings inDirectory(Path directory) {
        return new ImageSettings(directory, null, null, DEFAULT_MAX_BYTES, DEFAULT_PER_MINUTE, DEFAULT_CONCURRENCY,
                false);
    }

    /** The store's name as recorded with each image: the S3 URL, or the directory. */
    public String storeName() {
        return s3 != null ? s3.toString() : directory.toString();
    }

    /**
     * Reads the images keys of the {@code sync:} section; the environment wins over the file
     * (SPEC §3): {@code AWS_S3_BUCKET} over the bucket of {@code images_store},
     * {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL}, {@code AWS_REGION} and
     * {@code CLOUDFRONT_DOMAIN} over their keys.
     */
    static ImageSettings read(ConfigNode node, Path baseDir, Path defaultDirectory, Map<String, String> env) {
        String store = node.text("images_store", null);
        String directory = node.text("images_dir", null);
        if (store != null && directory != null) {
            throw node.child("images_dir").error("give images_store or images_dir, not both");
        }
        S3Location fileS3 = null;
        if (store != null && store.startsWith("s3://")) {
            fileS3 = parseS3(node, store);
        } else if (store != null) {
            directory = store;
        }
        String bucket = nonBlank(env.get("AWS_S3_BUCKET")) ? env.get("AWS_S3_BUCKET")
                : fileS3 != null ? fileS3.bucket() : null;
        S3Location s3 = null;
        if (bucket != null) {
            String endpoint = firstNonBlank(env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"),
                    node.text("images_s3_endpoint", null));
            URI endpointUri = endpoint == null ? null : endpoint(node, endpoint);
            String region = firstNonBlank(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"),
                    node.text("images_s3_region", null));
            s3 = new S3Location(bucket, fileS3 == null ? "" : fileS3.prefix(), endpointUri,
                    region == null ? DEFAULT_REGION : region,
                    node.bool("images_s3_path_style", endpointUri != null));
        }
        String publicUrl = nonBlank(env.get("CLOUDFRONT_DOMAIN")) ? cloudFront(env.get("CLOUDFRONT_DOMAIN"))
                : node.text("images_public_url", null);
        if (publicUrl != null && HttpUrl.parse(publicUrl) == null) {
            throw node.child("images_public_url").error("must be an http:// or https:// URL; got '" + publicUrl + "'");
        }
        String perMinute = node.text("images_per_minute", null);
        double rate = DEFAULT_PER_MINUTE;
        if (perMinute != null) {
            try {
                rate = Double.parseDouble(perMinute.strip());
            } catch (NumberFormatException e) {
                rate = -1;
            }
            if (!(rate > 0)) {
                throw node.child("images_per_minute").error("must be a number above 0; got '" + perMinute + "'");
            }
        }
        return new ImageSettings(directory == null ? defaultDirectory : baseDir.resolve(directory).normalize(), s3,
                publicUrl, node.integer("image_max_bytes", (int) DEFAULT_MAX_BYTES, 1_024, 1 << 30), rate,
                node.integer("images_concurrency", DEFAULT_CONCURRENCY, 1, 64),
                node.bool("images_allow_private_hosts", false));
    }

    private static S3Location parseS3(ConfigNode node, String store) {
        String rest = store.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw node.child("images_store").error("names bucket '" + bucket + "', which is not a valid S3 bucket "
                    + "name (3-63 lower-case letters, digits, '.' and '-')");
        }
        return new S3Location(bucket, prefix, null, DEFAULT_REGION, false);
    }

    private static URI endpoint(ConfigNode node, String endpoint) {
        HttpUrl url = HttpUrl.parse(endpoint);
        if (url == null) {
            throw node.child("images_s3_endpoint").error("the S3 endpoint (AWS_ENDPOINT_URL or images_s3_endpoint) "
                    + "must be an http:// or https:// URL; got '" + endpoint + "'");
        }
        return url.uri();
    }

    /** {@code CLOUDFRONT_DOMAIN} is a host name (d111.cloudfront.net) or a URL. */
    private static String cloudFront(String domain) {
        String lower = domain.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://") ? domain.strip() : "https://" + domain.strip();
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (nonBlank(value)) {
                return value.strip();
            }
        }
        return null;
    }

    private static boolean nonBlank(String text) {
        return text != null && !text.isBlank();
    }
}
