package org.syncproducts.config;

import java.net.URI;
import java.util.Objects;

/**
 * An S3 bucket (AWS or an S3-compatible service) and the key prefix images are stored under.
 *
 * @param bucket    the bucket name
 * @param prefix    prepended to every object key: empty, or ending with {@code /}
 * @param endpoint  the service's URL for S3-compatible services (MinIO, Ceph, R2), or null for AWS itself
 * @param region    the signing region ({@code us-east-1} when nothing says otherwise)
 * @param pathStyle address the bucket in the path ({@code http://host/bucket/key}) rather than as a
 *                  host name; what most S3-compatible services need
 */
public record S3Location(String bucket, String prefix, URI endpoint, String region, boolean pathStyle) {
    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        prefix = prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** The object key of a path relative to the store. */
    public String key(String relativePath) {
        return prefix + relativePath;
    }

    /** {@code s3://bucket/prefix/}: how the store is named in messages and in product_images. */
    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
