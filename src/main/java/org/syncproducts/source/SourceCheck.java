package org.syncproducts.source;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.Product;
import org.syncproducts.model.ProductParser;
import org.syncproducts.source.lookup.LookupResult;
import org.syncproducts.source.lookup.LookupSource;

/**
 * Checks that a source is usable before a cron line depends on it, like Airbyte's {@code check}:
 * connect, authenticate, read a few records (or look one well-known code up) and map them.
 * Nothing is written anywhere.
 */
public final class SourceCheck {
    /** Records read from a read source. */
    public static final int RECORDS = 5;
    /** Asked of lookup APIs: a product every food database knows (Nutella, 400 g). */
    public static final String PROBE_CODE = "3017620422003";

    /**
     * What the check found.
     *
     * @param exitCode 0 usable, 69 unreachable, 78 misconfigured (credentials refused included), 65 data that does not map
     * @param read     records read (or codes asked)
     * @param mapped   of them, those that became products
     * @param product  the first mapped product, or null
     * @param message  one line saying what was found
     */
    public record Result(String source, String type, int exitCode, int read, int mapped, Product product,
                         String message) {
        public boolean usable() {
            return exitCode == ExitCode.OK;
        }
    }

    private SourceCheck() {
    }

    /** Opens a read source from its start, reads up to {@link #RECORDS} records and maps them. */
    public static Result check(ProductSource source) {
        int read = 0;
        int mapped = 0;
        Product first = null;
        String firstError = null;
        try (RecordStream stream = source.open(0, null)) {
            SourceRecord record;
            while (read < RECORDS && (record = stream.next()) != null) {
                read++;
                if (record instanceof SourceRecord.Item item) {
                    ProductParser.Result result = ProductParser.parse(item.product(), source.name(), item.position());
                    if (result instanceof ProductParser.Parsed parsed) {
                        mapped++;
                        first = first == null ? parsed.product() : first;
                    } else if (firstError == null) {
                        firstError = ((ProductParser.Refused) result).error().message();
                    }
                } else if (record instanceof SourceRecord.Failure failure && firstError == null) {
                    firstError = failure.error().message();
                } else if (record instanceof SourceRecord.Deleted) {
                    mapped++;
                }
            }
        } catch (SyncProductsException e) {
            return new Result(source.name(), source.type(), e.exitCode(), read, mapped, first, e.getMessage());
        } catch (IOException e) {
            return new Result(source.name(), source.type(), ExitCode.UNAVAILABLE, read, mapped, first,
                    "cannot read " + source.name() + ": " + e.getMessage());
        }
        if (read > 0 && mapped == 0) {
            return new Result(source.name(), source.type(), ExitCode.DATA_ERROR, read, 0, null,
                    "read " + read + " records, none maps to a product: " + firstError);
        }
        String message = read == 0 ? "usable: connected and read, no records to sync"
                : "usable: read " + read + " records, " + mapped + " mapped"
                + (firstError == null ? "" : "; not mapped: " + firstError);
        return new Result(source.name(), source.type(), ExitCode.OK, read, mapped, first, message);
    }

    /** Asks a lookup API for {@link #PROBE_CODE}: found and not found both mean usable. */
    public static Result check(LookupSource source) {
        try {
            source.checkConfigured();
        } catch (SyncProductsException e) {
            return new Result(source.name(), source.type(), e.exitCode(), 0, 0, null, e.getMessage());
        }
        Barcode probe = Barcode.parse(PROBE_CODE).orElseThrow();
        Map<String, LookupResult> answers = source.lookUp(List.of(probe));
        LookupResult answer = answers.getOrDefault(probe.canonical(), LookupResult.NotFound.INSTANCE);
        if (answer instanceof LookupResult.Failed failed) {
            int exitCode = failed.type() == ErrorType.AUTH ? ExitCode.CONFIG
                    : failed.type() == ErrorType.BAD_RESPONSE ? ExitCode.DATA_ERROR : ExitCode.UNAVAILABLE;
            return new Result(source.name(), source.type(), exitCode, 1, 0, null, failed.message());
        }
        if (answer instanceof LookupResult.Found found) {
            ProductParser.Result result = ProductParser.parse(found.product(), source.name(), 0);
            if (result instanceof ProductParser.Parsed parsed) {
                return new Result(source.name(), source.type(), ExitCode.OK, 1, 1, parsed.product(),
                        "usable: looked " + PROBE_CODE + " up and mapped it");
            }
            return new Result(source.name(), source.type(), ExitCode.DATA_ERROR, 1, 0, null,
                    "looked " + PROBE_CODE + " up; the answer does not map: "
                            + ((ProductParser.Refused) result).error().message());
        }
        return new Result(source.name(), source.type(), ExitCode.OK, 1, 0, null,
                "usable: answered that it does not have " + PROBE_CODE);
    }
}
