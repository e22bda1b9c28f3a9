import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.syncproducts.model.ProductParser;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.off.OffCsvSource;
import org.syncproducts.store.CopyText;
import org.syncproducts.store.ProductRow;

/**
 * The bulk load's reader alone, without a database: reads an Open Food Facts CSV export the way
 * {@code sync} does (OffCsvSource, ProductParser, ProductRow.encode into a CopyText, rows held in
 * batches of 5,000 by code, last wins) and prints the CPU it took per 1,000,000 rows, so changes
 * to parsing and encoding can be measured on a busy machine, where wall times are noise.
 *
 * <pre>
 * java -Xmx256m -XX:+UseSerialGC -cp target/sync-products.jar scripts/bench/ReaderCpu.java \
 *     --file products.csv [--rows N] [--runs R] [--digest]
 * </pre>
 *
 * <p>Each run reads the file (at most N rows) once; the first run includes JIT warm-up. Printed
 * per run: {@code reader rows=N wall_s=W process_cpu_s=C thread_cpu_s=T gc_s=G cpu_s_per_1M=X
 * allocated_bytes_per_row=A}. Process CPU is every thread of the JVM (GC and JIT included), thread
 * CPU the reading thread alone; the bytes the reading thread allocated per row do not depend on
 * the machine's load, and drive how often the collector runs. With {@code --digest} it also prints a SHA-256 over every row's COPY line, content hash
 * and counted values, in order (its cost is then in the CPU figures): two builds that encode the
 * same file identically print the same digest, which is how an encoding change is checked to
 * write byte-identical rows (and content hashes).
 * Use the launcher's JVM options ({@code -Xmx256m -XX:+UseSerialGC}) so GC costs as in a sync.
 */
public final class ReaderCpu {
    private static final int BATCH = 5_000;

    public static void main(String[] args) throws Exception {
        Path file = null;
        long limit = Long.MAX_VALUE;
        int runs = 1;
        boolean digesting = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--file" -> file = Path.of(args[++i]);
                case "--rows" -> limit = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--digest" -> digesting = true;
                default -> {
                    System.err.println("usage: ReaderCpu --file CSV [--rows N] [--runs R] [--digest]");
                    System.exit(64);
                }
            }
        }
        if (file == null) {
            System.err.println("ReaderCpu: --file CSV is required");
            System.exit(64);
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int run = 1; run <= runs; run++) {
            long wall = System.nanoTime();
            long process = os.getProcessCpuTime();
            long thread = threads.getCurrentThreadCpuTime();
            long gc = gcMillis();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer scratch = ByteBuffer.allocate(8);
            long rows = 0;
            long refused = 0;
            CopyText encoder = new CopyText();
            Map<String, ProductRow> batch = new LinkedHashMap<>();
            try (RecordStream stream = new OffCsvSource("off", file).open(0)) {
                SourceRecord record;
                while (rows < limit && (record = stream.next()) != null) {
                    if (!(record instanceof SourceRecord.Item item)) {
                        refused++;
                        continue;
                    }
                    ProductParser.Result result = ProductParser.parse(item.product(), "off", item.position(),
                            ProductParser.DEFAULT_LANGUAGES);
                    if (!(result instanceof ProductParser.Parsed parsed)) {
                        refused++;
                        continue;
                    }
                    ProductRow row = ProductRow.encode(parsed.product(), encoder);
                    rows++;
                    if (digesting) {
                        ProductRow.Counted counted = row.counted();
                        digest.update(row.copyLine());
                        digest.update(scratch.clear().putLong(row.contentHash()).array());
                        digest.update((counted.source() + "|" + String.join(",", counted.categories()) + "|"
                                + counted.image() + "|" + counted.nutrition() + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    batch.put(row.code(), row);
                    if (batch.size() >= BATCH) {
                        batch = new LinkedHashMap<>();
                    }
                }
            }
            double wallS = (System.nanoTime() - wall) / 1e9;
            double processS = (os.getProcessCpuTime() - process) / 1e9;
            double threadS = (threads.getCurrentThreadCpuTime() - thread) / 1e9;
            double gcS = (gcMillis() - gc) / 1e3;
            long allocatedPerRow = (threads.getCurrentThreadAllocatedBytes() - allocated) / Math.max(rows, 1);
            System.out.printf("reader run=%d rows=%d refused=%d wall_s=%.2f process_cpu_s=%.2f thread_cpu_s=%.2f gc_s=%.2f"
                            + " cpu_s_per_1M=%.2f allocated_bytes_per_row=%d%s%n", run, rows, refused, wallS, processS, threadS, gcS,
                    processS * 1e6 / Math.max(rows, 1), allocatedPerRow,
                    digesting ? " digest=" + HexFormat.of().formatHex(digest.digest()) : "");
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
