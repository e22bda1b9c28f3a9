package org.syncproducts.images;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.S3Location;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Images in an S3 bucket (AWS, or an S3-compatible service through an endpoint override), under
 * {@code prefix + ab/cd/<sha256>.<ext>} with their {@code Content-Type}, a year-long immutable
 * {@code Cache-Control} (the key changes when the bytes do) and the SHA-256 as metadata. An object
 * already there with the same size is not uploaded again (one HEAD). A PUT is atomic in S3: an
 * upload cut short leaves no object, so a rerun uploads it whole.
 *
 * <p>Credentials come from the AWS default chain (environment, profile, instance role); the
 * environment given to the tool is asked first so tests and {@code env} files behave alike. They
 * are never logged or recorded.
 */
public final class S3ImageStore implements ImageStore {
    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
    static final String SHA256_METADATA = "sha256";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final S3Client s3;
    private final S3Location location;

    private S3ImageStore(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    /**
     * Connects and checks that the bucket exists and the credentials are accepted (a HEAD of the
     * bucket), so a misconfiguration is one line and exit 78 before any work.
     *
     * @param concurrency uploads at once, to size the connection pool
     * @throws SyncProductsException 78 for a missing bucket or refused credentials, 69 when the
     *                               service cannot be reached
     */
    public static S3ImageStore open(S3Location location, Map<String, String> env, int concurrency) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(location.region()))
                .credentialsProvider(credentials(env))
                .forcePathStyle(location.pathStyle())
                // S3-compatible services do not all take the SDK's newer default checksum trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(concurrency, 1) + 2)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(CALL_TIMEOUT).build());
        if (location.endpoint() != null) {
            builder.endpointOverride(location.endpoint());
        }
        S3Client s3 = builder.build();
        S3ImageStore store = new S3ImageStore(s3, location);
        try {
            store.checkBucket();
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
        return store;
    }

    private void checkBucket() {
        String where = location + (location.endpoint() == null ? "" : " at " + location.endpoint());
        try {
            s3.headBucket(request -> request.bucket(location.bucket()));
        } catch (S3Exception e) {
            int status = e.statusCode();
            if (status == 404) {
                throw SyncProductsException.config("the image bucket " + where + " does not exist: create it, or fix "
                        + "sync.images_store / AWS_S3_BUCKET");
            }
            if (status == 401 || status == 403) {
                throw SyncProductsException.config("the image store " + where + " refused the credentials (HTTP "
                        + status + "): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the AWS profile), "
                        + "and that they may read and write the bucket");
            }
            if (status == 301 || status == 400) {
                throw SyncProductsException.config("the image store " + where + " answered HTTP " + status
                        + ": check the region (AWS_REGION) and, for an S3-compatible service, AWS_ENDPOINT_URL");
            }
            throw SyncProductsException.unavailable("the image store " + where + " answered HTTP " + status
                    + "; try again later", e);
        } catch (SdkClientException e) {
            if (String.valueOf(e.getMessage()).contains("credentials")) {
                throw SyncProductsException.config("no AWS credentials for the image store " + where + ": set "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an AWS profile, or an instance role");
            }
            throw SyncProductsException.unavailable("cannot reach the image store " + where + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public Stored store(ImageKey key, byte[] bytes, String contentType) throws IOException {
        String objectKey = location.key(key.relativePath());
        try {
            Long size = size(objectKey);
            if (size != null && size == bytes.length) {
                return new Stored(key.relativePath(), key.sha256(), bytes.length, true);
            }
            s3.putObject(request -> request.bucket(location.bucket()).key(objectKey)
                            .contentType(contentType).cacheControl(CACHE_CONTROL).contentLength((long) bytes.length)
                            .metadata(Map.of(SHA256_METADATA, key.sha256())),
                    RequestBody.fromBytes(bytes));
            return new Stored(key.relativePath(), key.sha256(), bytes.length, false);
        } catch (SdkException e) {
            throw new IOException("cannot upload to " + location + ": " + describe(e), e);
        }
    }

    @Override
    public boolean exists(String relativePath) throws IOException {
        try {
            return size(location.key(relativePath)) != null;
        } catch (SdkException e) {
            throw new IOException("cannot ask " + location + " for " + relativePath + ": " + describe(e), e);
        }
    }

    @Override
    public String publicPath(String relativePath) {
        return location.key(relativePath);
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The object's size, or null when there is no such object. */
    private Long size(String objectKey) {
        try {
            HeadObjectResponse head = s3.headObject(request -> request.bucket(location.bucket()).key(objectKey));
            return head.contentLength();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The credentials in the tool's environment when it has them, else the SDK's default chain
     * (which reads the process environment, system properties, profiles and instance roles).
     */
    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String describe(SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            return "HTTP " + s3.statusCode() + " " + s3.awsErrorDetails().errorCode();
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
