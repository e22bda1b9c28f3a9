package org.syncproducts.source.csv;

import java.nio.charset.Charset;
import java.util.Map;
import java.util.Objects;
import org.syncproducts.model.ProductField;

/**
 * How to read a generic CSV file and which column feeds which product field.
 *
 * @param delimiter the field separator
 * @param quote     the quote character, or null for a format without quoting
 * @param header    whether the first record names the columns; without one, columns are
 *                  referred to by number, starting at 1
 * @param encoding  the file's character set
 * @param mapping   product field to column name (or number); must include {@code code}
 * @param extra     columns kept as they are in the product's extra JSON, by the key to store them under
 */
public record CsvOptions(char delimiter, Character quote, boolean header, Charset encoding,
                         Map<ProductField, String> mapping, Map<String, String> extra) {
    public CsvOptions {
        Objects.requireNonNull(encoding, "encoding");
        mapping = Map.copyOf(mapping);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        if (!mapping.containsKey(ProductField.CODE)) {
            throw new IllegalArgumentException("a CSV mapping needs the code field");
        }
    }
}
