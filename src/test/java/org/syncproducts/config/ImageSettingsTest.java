package org.syncproducts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.source.SourceTypes;

/** The images keys of {@code sync:} and the AWS_* / CLOUDFRONT_DOMAIN variables. */
class ImageSettingsTest {
    @TempDir
    Path dir;

    private ImageSettings load(String sync, Map<String, String> env) throws IOException {
        Path file = Files.writeString(dir.resolve("config.yaml"), "sync:\n" + sync.indent(2));
        return new ConfigLoader(env, SourceTypes.builtIn()).load(new ConfigLoader.Overrides(file, null, null))
                .sync().images();
    }

    @Test
    void aDirectoryStoreIsTheDefaultAndPrivateHostsAreRefused() throws IOException {
        ImageSettings images = load("images_store: pictures", Map.of());
        assertNull(images.s3());
        assertEquals(dir.resolve("pictures"), images.directory());
        assertEquals(ImageSettings.DEFAULT_CONCURRENCY, images.concurrency());
        assertFalse(images.allowPrivateHosts());
    }

    @Test
    void anS3UrlNamesBucketAndPrefixAndTheEnvironmentAddsEndpointRegionAndCdn() throws IOException {
        ImageSettings images = load("images_store: s3://product-images/front\nimages_concurrency: 8",
                Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000", "AWS_REGION", "eu-west-3",
                        "CLOUDFRONT_DOMAIN", "d111.cloudfront.net"));
        assertEquals(new S3Location("product-images", "front/", URI.create("http://127.0.0.1:9000/"), "eu-west-3", true),
                images.s3());
        assertEquals("s3://product-images/front/", images.storeName());
        assertEquals("front/ab/cd/x.png", images.s3().key("ab/cd/x.png"));
        assertEquals("https://d111.cloudfront.net/", images.publicBaseUrl());
        assertEquals(8, images.concurrency());
    }

    @Test
    void awsS3BucketWinsOverTheFileAndAwsItselfUsesVirtualHostedStyle() throws IOException {
        ImageSettings images = load("images_store: s3://from-file/p\nimages_s3_region: us-west-2",
                Map.of("AWS_S3_BUCKET", "from-env"));
        assertEquals("from-env", images.s3().bucket());
        assertEquals("p/", images.s3().prefix());
        assertEquals("us-west-2", images.s3().region());
        assertNull(images.s3().endpoint());
        assertFalse(images.s3().pathStyle());
        assertTrue(load("images_per_minute: 60", Map.of("AWS_S3_BUCKET", "only-env")).s3() != null, "the environment alone sets S3 up");
    }

    @Test
    void badValuesAreConfigErrorsNamingTheKey() {
        SyncProductsException bucket = assertThrows(SyncProductsException.class,
                () -> load("images_store: s3://Bad_Bucket/x", Map.of()));
        assertEquals(ExitCode.CONFIG, bucket.exitCode());
        assertTrue(bucket.getMessage().contains("sync.images_store"), bucket.getMessage());
        SyncProductsException both = assertThrows(SyncProductsException.class,
                () -> load("images_store: a\nimages_dir: b", Map.of()));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        SyncProductsException endpoint = assertThrows(SyncProductsException.class,
                () -> load("images_store: s3://bucket\nimages_s3_endpoint: minio:9000", Map.of()));
        assertTrue(endpoint.getMessage().contains("http:// or https://"), endpoint.getMessage());
    }
}
