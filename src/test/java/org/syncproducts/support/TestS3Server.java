package org.syncproducts.support;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy in-process on 127.0.0.1 over a temporary
 * filesystem store, with its own access key, and an SDK client to look into it.
 */
public final class TestS3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-not-a-real-one";

    private final S3ProxyJunitCore proxy;
    private final S3Client client;

    private TestS3Server(S3ProxyJunitCore proxy) {
        this.proxy = proxy;
        this.client = S3Client.builder()
                .endpointOverride(proxy.getUri())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Starts a server with no buckets. */
    public static TestS3Server start() {
        S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder().withCredentials(ACCESS_KEY, SECRET_KEY).build();
        try {
            proxy.beforeEach();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
        return new TestS3Server(proxy);
    }

    public URI endpoint() {
        return proxy.getUri();
    }

    /** A client with the server's credentials, to create buckets and look at objects. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        client.createBucket(request -> request.bucket(bucket));
    }

    /** The environment that points the tool at this server with its credentials. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL", endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    @Override
    public void close() {
        client.close();
        proxy.afterEach();
    }
}
