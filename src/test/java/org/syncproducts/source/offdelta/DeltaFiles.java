package org.syncproducts.source.offdelta;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.syncproducts.support.OffCsvFixture;

/**
 * Delta files in the real format (gzip, one product document a line), made from real Open Food
 * Facts documents: {@code src/test/resources/off/real-products.jsonl} (provenance in
 * {@code real-products.README.md}), with code, name and {@code last_modified_t} replaced.
 */
public final class DeltaFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Jacquet bread document of a 2025 production answer, kept whole (39 KB). */
    private static final ObjectNode REAL = realDocument(0);
    /** The small hand-made document in the same format, for files of many products. */
    private static final ObjectNode SMALL = realDocument(2);

    private DeltaFiles() {
    }

    /** The file name of the changes in (from, to]. */
    public static String name(long from, long to) {
        return "openfoodfacts_products_" + from + "_" + to + ".json.gz";
    }

    /** A canonical-looking EAN-13 for product number {@code n}. */
    public static String code(int n) {
        return OffCsvFixture.withCheckDigit(String.format("301%09d", n));
    }

    /** The real document as product {@code code}, named {@code name}, changed at {@code modified}. */
    public static String document(String code, String name, long modified) {
        return document(REAL, code, name, modified);
    }

    /** The small document as product {@code code}. */
    public static String smallDocument(String code, String name, long modified) {
        return document(SMALL, code, name, modified);
    }

    private static String document(ObjectNode template, String code, String name, long modified) {
        ObjectNode document = template.deepCopy();
        document.put("code", code).put("_id", code).put("product_name", name).put("last_modified_t", modified);
        return document.toString();
    }

    /** The documents as one gzip delta file. */
    public static byte[] gzip(List<String> documents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            for (String document : documents) {
                gzip.write((document + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static ObjectNode realDocument(int line) {
        try (InputStream in = DeltaFiles.class.getResourceAsStream("/off/real-products.jsonl")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return (ObjectNode) JSON.readTree(text.split("\n")[line]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
