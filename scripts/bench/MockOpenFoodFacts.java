import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the Open Food Facts API, for scripts/bench-api (JDK only, run as a single
 * source file), and on the same port for the two fallbacks: UPCitemdb
 * ({@code /prod/trial/lookup?upc=CODE}) and upcdatabase.org ({@code /product/CODE}). Every code
 * asked exists at Open Food Facts, except with {@code --missing-every K} the codes whose serial
 * (digits 4 to 12) is a multiple of K: of those, UPCitemdb has every other one and upcdatabase.org
 * the rest. Each endpoint kind has its own limit of N requests per sliding window; past it the
 * answer is 429 with Retry-After, as the real APIs do. Every answer takes the configured latency.
 * GET /stats reports what was asked.
 *
 *   java scripts/bench/MockOpenFoodFacts.java --port P [--latency-ms 50] [--window-ms 6000]
 *        [--search-limit 10] [--product-limit 15] [--missing-every 0] [--upcitemdb-limit 6]
 *        [--upcdatabase-limit 10]
 *
 * Prints "ready http://127.0.0.1:P/" once listening.
 */
public class MockOpenFoodFacts {
    private static final AtomicLong SEARCHES = new AtomicLong();
    private static final AtomicLong PRODUCT_READS = new AtomicLong();
    private static final AtomicLong TOO_MANY = new AtomicLong();
    private static final AtomicLong UPCITEMDB = new AtomicLong();
    private static final AtomicLong UPCDATABASE = new AtomicLong();
    private static long missingEvery;

    /** A sliding-window limit: at most {@code limit} accepted requests in any {@code windowNanos}. */
    static final class Window {
        private final int limit;
        private final long windowNanos;
        private final Deque<Long> accepted = new ArrayDeque<>();

        Window(int limit, long windowNanos) {
            this.limit = limit;
            this.windowNanos = windowNanos;
        }

        /** 0 when accepted, else the nanoseconds until a slot frees. */
        synchronized long tryAccept() {
            long now = System.nanoTime();
            while (!accepted.isEmpty() && now - accepted.peekFirst() >= windowNanos) {
                accepted.pollFirst();
            }
            if (accepted.size() < limit) {
                accepted.addLast(now);
                return 0;
            }
            return accepted.peekFirst() + windowNanos - now;
        }
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        long latencyMs = 50;
        long windowMs = 6_000;
        int searchLimit = 10;
        int productLimit = 15;
        int upcItemDbLimit = 6;
        int upcDatabaseLimit = 10;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--latency-ms" -> latencyMs = Long.parseLong(args[i + 1]);
                case "--window-ms" -> windowMs = Long.parseLong(args[i + 1]);
                case "--search-limit" -> searchLimit = Integer.parseInt(args[i + 1]);
                case "--product-limit" -> productLimit = Integer.parseInt(args[i + 1]);
                case "--missing-every" -> missingEvery = Long.parseLong(args[i + 1]);
                case "--upcitemdb-limit" -> upcItemDbLimit = Integer.parseInt(args[i + 1]);
                case "--upcdatabase-limit" -> upcDatabaseLimit = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Window searches = new Window(searchLimit, windowMs * 1_000_000);
        Window productReads = new Window(productLimit, windowMs * 1_000_000);
        Window upcItemDb = new Window(upcItemDbLimit, windowMs * 1_000_000);
        Window upcDatabase = new Window(upcDatabaseLimit, windowMs * 1_000_000);
        long latency = latencyMs;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/stats", exchange -> send(exchange, 200, "{\"search_requests\":" + SEARCHES.get()
                + ",\"product_requests\":" + PRODUCT_READS.get() + ",\"upcitemdb_requests\":" + UPCITEMDB.get()
                + ",\"upcdatabase_requests\":" + UPCDATABASE.get() + ",\"status_429\":" + TOO_MANY.get() + "}", 0));
        server.createContext("/api/v2/search", exchange -> {
            SEARCHES.incrementAndGet();
            long wait = searches.tryAccept();
            if (wait > 0) {
                tooMany(exchange, wait);
                return;
            }
            StringBuilder body = new StringBuilder("{\"page\":1,\"page_size\":100,\"products\":[");
            String codes = query(exchange, "code");
            int count = 0;
            for (String code : codes.split(",")) {
                if (!code.isEmpty() && atOpenFoodFacts(code)) {
                    body.append(count++ == 0 ? "" : ",").append(product(code));
                }
            }
            body.append("],\"count\":").append(count).append('}');
            send(exchange, 200, body.toString(), latency);
        });
        server.createContext("/api/v2/product/", exchange -> {
            PRODUCT_READS.incrementAndGet();
            long wait = productReads.tryAccept();
            if (wait > 0) {
                tooMany(exchange, wait);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String code = path.substring("/api/v2/product/".length()).replace(".json", "");
            send(exchange, atOpenFoodFacts(code) ? 200 : 404, atOpenFoodFacts(code)
                    ? "{\"code\":\"" + code + "\",\"status\":1,\"product\":" + product(code) + "}"
                    : "{\"code\":\"" + code + "\",\"status\":0}", latency);
        });
        server.createContext("/prod/trial/lookup", exchange -> {
            UPCITEMDB.incrementAndGet();
            long wait = upcItemDb.tryAccept();
            if (wait > 0) {
                tooMany(exchange, wait);
                return;
            }
            String code = query(exchange, "upc");
            send(exchange, 200, fallbackHas(code, 0) ? "{\"code\":\"OK\",\"total\":1,\"items\":[{\"ean\":\"" + code
                    + "\",\"title\":\"Item " + code + "\",\"brand\":\"Bench\",\"category\":\"Food > Snacks\"}]}"
                    : "{\"code\":\"OK\",\"total\":0,\"items\":[]}", latency);
        });
        server.createContext("/product/", exchange -> {
            UPCDATABASE.incrementAndGet();
            long wait = upcDatabase.tryAccept();
            if (wait > 0) {
                tooMany(exchange, wait);
                return;
            }
            String code = exchange.getRequestURI().getPath().substring("/product/".length());
            send(exchange, fallbackHas(code, 1) ? 200 : 404, fallbackHas(code, 1)
                    ? "{\"success\":true,\"barcode\":\"" + code + "\",\"title\":\"Upc " + code + "\"}"
                    : "{\"success\":false,\"error\":{\"code\":404,\"message\":\"No product found\"}}", latency);
        });
        server.start();
        System.out.println("ready http://127.0.0.1:" + server.getAddress().getPort() + "/");
        System.out.flush();
    }

    /** The code's serial: digits 4 to 12 of the 13 ({@code 200SSSSSSSSSC}), -1 for another shape. */
    private static long serial(String code) {
        return code.length() == 13 && code.chars().allMatch(Character::isDigit) ? Long.parseLong(code.substring(3, 12)) : -1;
    }

    private static boolean atOpenFoodFacts(String code) {
        return missingEvery <= 0 || serial(code) % missingEvery != 0;
    }

    /** Whether fallback {@code which} (0 UPCitemdb, 1 upcdatabase.org) has a code Open Food Facts lacks. */
    private static boolean fallbackHas(String code, int which) {
        return !atOpenFoodFacts(code) && (serial(code) / missingEvery) % 2 == which;
    }

    private static String product(String code) {
        return "{\"code\":\"" + code + "\",\"product_name\":\"Product " + code + "\",\"brands\":\"Bench\","
                + "\"categories_tags\":[\"en:snacks\"],\"nutriments\":{\"fat_100g\":12.5,\"energy-kcal_100g\":\"420\"}}";
    }

    private static void tooMany(HttpExchange exchange, long waitNanos) throws IOException {
        TOO_MANY.incrementAndGet();
        long seconds = Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000);
        exchange.getResponseHeaders().add("Retry-After", Long.toString(seconds));
        send(exchange, 429, "{\"status\":\"too many requests\"}", 0);
    }

    private static String query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return "";
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static void send(HttpExchange exchange, int status, String body, long latencyMs) throws IOException {
        try {
            if (latencyMs > 0) {
                Thread.sleep(latencyMs);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }
}
