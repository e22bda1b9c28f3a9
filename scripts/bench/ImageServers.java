import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * The two servers of {@code scripts/bench-images}, both on 127.0.0.1: an image host and an
 * S3-compatible store (S3Proxy over a filesystem directory, with one bucket).
 *
 * <pre>
 * java -cp TEST_CLASSPATH scripts/bench/ImageServers.java --dir DIR --access-key K --secret-key S
 * </pre>
 *
 * <p>{@code GET /img/N.jpg} answers image/jpeg bytes of 50–300 KB, the same for the same N (seeded
 * by N), different for different N. {@code GET /count} answers how many images were served.
 * Standard output carries one line once both listen:
 * {@code ready http://127.0.0.1:PORT http://127.0.0.1:S3PORT}. Stops when standard input ends.
 */
public final class ImageServers {
    private static final int MIN_BYTES = 50_000;
    private static final int MAX_BYTES = 300_000;

    private ImageServers() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        String accessKey = null;
        String secretKey = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--access-key" -> accessKey = args[i + 1];
                case "--secret-key" -> secretKey = args[i + 1];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        AtomicLong served = new AtomicLong();
        HttpServer images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        images.setExecutor(Executors.newFixedThreadPool(16));
        images.createContext("/img/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/img/".length()).replace(".jpg", "");
            byte[] bytes = image(Long.parseLong(name));
            served.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        images.createContext("/count", exchange -> {
            byte[] body = Long.toString(served.get()).getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        images.start();

        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.resolve("s3").toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials(accessKey, secretKey)
                .overrides(properties).build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, "bench");
        S3Proxy s3 = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        s3.start();
        while (!s3.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        System.out.println("ready http://127.0.0.1:" + images.getAddress().getPort() + " http://127.0.0.1:"
                + s3.getPort());
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // Runs until standard input ends.
        }
        images.stop(0);
        s3.stop();
        context.close();
    }

    private static byte[] image(long number) {
        Random random = new Random(number);
        byte[] bytes = new byte[MIN_BYTES + random.nextInt(MAX_BYTES - MIN_BYTES + 1)];
        random.nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        return bytes;
    }
}
