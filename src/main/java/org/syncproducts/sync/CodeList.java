package org.syncproducts.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.Barcode;

/** The barcodes an operator names for a targeted sync: {@code --upcs} and {@code --upcs-file}. */
public final class CodeList {
    private CodeList() {
    }

    /**
     * Canonical codes from both, or null when neither is given (no code filter).
     *
     * @throws SyncProductsException 64 for an invalid code in {@code --upcs}, 78 for an unreadable
     *                               file, 65 for invalid codes in it
     */
    public static Set<String> parse(List<String> upcs, Path upcsFile) {
        if (upcs.isEmpty() && upcsFile == null) {
            return null;
        }
        Set<String> codes = new HashSet<>();
        List<String> invalid = new ArrayList<>();
        for (String upc : upcs) {
            Barcode.parse(upc).ifPresentOrElse(code -> codes.add(code.canonical()), () -> invalid.add("'" + upc + "'"));
        }
        if (!invalid.isEmpty()) {
            throw new SyncProductsException(ExitCode.USAGE, "--upcs has invalid barcodes: " + String.join(", ", invalid));
        }
        if (upcsFile != null) {
            readFile(upcsFile, codes);
        }
        return codes;
    }

    private static void readFile(Path upcsFile, Set<String> codes) {
        List<String> lines;
        try {
            lines = Files.readAllLines(upcsFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw SyncProductsException.config("--upcs-file " + upcsFile + ": file not found; give the path of a "
                    + "file with one barcode per line (or a CSV whose first column is the barcode)");
        } catch (IOException e) {
            throw SyncProductsException.config("cannot read --upcs-file " + upcsFile + ": " + e.getMessage());
        }
        List<String> invalid = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String first = lines.get(i).split("[,;\t]", 2)[0].replace("\"", "").strip();
            if (first.isEmpty() || first.startsWith("#") || (i == 0 && !first.chars().allMatch(Character::isDigit))) {
                continue;
            }
            int lineNumber = i + 1;
            Barcode.parse(first).ifPresentOrElse(code -> codes.add(code.canonical()),
                    () -> invalid.add("line " + lineNumber + " '" + first + "'"));
        }
        if (!invalid.isEmpty()) {
            throw SyncProductsException.badInput(upcsFile + " has invalid barcodes: "
                    + String.join(", ", invalid.subList(0, Math.min(10, invalid.size())))
                    + (invalid.size() > 10 ? " and " + (invalid.size() - 10) + " more" : ""));
        }
    }
}
