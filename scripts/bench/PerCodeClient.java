import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The naive way scripts/bench-api compares against: one product read per code, CONCURRENCY at a
 * time, no client-side limit, no retry (JDK only, run as a single source file).
 *
 *   java scripts/bench/PerCodeClient.java BASE_URL CODES_FILE CONCURRENCY
 *
 * Prints "per_code requests=N ok=N status_429=N seconds=S".
 */
public class PerCodeClient {
    public static void main(String[] args) throws Exception {
        String base = args[0].endsWith("/") ? args[0] : args[0] + "/";
        List<String> codes = Files.readAllLines(Path.of(args[1])).stream().filter(line -> !line.isBlank()).toList();
        int concurrency = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger tooMany = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (String code : codes) {
            pool.submit(() -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/v2/product/" + code + ".json"))
                        .header("User-Agent", "bench-per-code/1.0").build();
                try {
                    requests.incrementAndGet();
                    int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        ok.incrementAndGet();
                    } else if (status == 429) {
                        tooMany.incrementAndGet();
                    }
                } catch (Exception e) {
                    System.err.println("per_code: " + code + ": " + e);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("per_code requests=%d ok=%d status_429=%d seconds=%.2f%n", requests.get(), ok.get(),
                tooMany.get(), seconds);
    }
}
