import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local operator product API for scripts/bench-sources (JDK only, run as a single source
 * file): --records records in pages (?page=N&per_page=M), each with a valid EAN-13, a name, a
 * brand, categories and an updated_at. At most --pages-per-second requests are answered in any
 * sliding second; past it the answer is 429 with Retry-After: 1. GET /stats reports what was asked.
 *
 *   java scripts/bench/MockFeed.java [--port 0] [--records 20000] [--pages-per-second 10]
 *
 * Prints "ready http://127.0.0.1:P/products" once listening.
 */
public class MockFeed {
    private static final AtomicLong PAGES = new AtomicLong();
    private static final AtomicLong TOO_MANY = new AtomicLong();

    public static void main(String[] args) throws IOException {
        int port = 0;
        int records = 20_000;
        int perSecond = 10;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--pages-per-second" -> perSecond = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Deque<Long> accepted = new ArrayDeque<>();
        int limit = perSecond;
        int total = records;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/stats", exchange -> send(exchange, 200, "{\"pages\":" + PAGES.get()
                + ",\"status_429\":" + TOO_MANY.get() + "}"));
        server.createContext("/products", exchange -> {
            synchronized (accepted) {
                long now = System.nanoTime();
                while (!accepted.isEmpty() && now - accepted.peekFirst() >= 1_000_000_000L) {
                    accepted.pollFirst();
                }
                if (accepted.size() >= limit) {
                    TOO_MANY.incrementAndGet();
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    send(exchange, 429, "{\"error\":\"too many requests\"}");
                    return;
                }
                accepted.addLast(now);
            }
            PAGES.incrementAndGet();
            String query = exchange.getRequestURI().getRawQuery();
            int page = Integer.parseInt(param(query, "page", "1"));
            int size = Integer.parseInt(param(query, "per_page", "500"));
            StringBuilder body = new StringBuilder("{\"data\":{\"items\":[");
            int start = (page - 1) * size;
            for (int i = start; i < Math.min(total, start + size); i++) {
                if (i > start) {
                    body.append(',');
                }
                body.append("{\"id\":").append(i).append(",\"gtin\":\"").append(ean13(i))
                        .append("\",\"title\":\"Feed product ").append(i)
                        .append("\",\"manufacturer\":{\"name\":\"Brand ").append(i % 97)
                        .append("\"},\"tags\":[\"en:bench\",\"en:group-").append(i % 13)
                        .append("\"],\"images\":[{\"url\":\"https://img.example.com/").append(i)
                        .append(".jpg\"}],\"updated_at\":\"2026-11-").append(10 + i % 20).append("T08:00:00Z\"}");
            }
            body.append("]}}");
            send(exchange, 200, body.toString());
        });
        server.start();
        System.out.println("ready http://127.0.0.1:" + server.getAddress().getPort() + "/products");
        System.out.flush();
    }

    private static String ean13(int number) {
        String digits = String.format("210%09d", number);
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return digits + (10 - sum % 10) % 10;
    }

    private static String param(String query, String name, String fallback) {
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] parts = pair.split("=", 2);
                if (parts[0].equals(name) && parts.length == 2) {
                    return parts[1];
                }
            }
        }
        return fallback;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
