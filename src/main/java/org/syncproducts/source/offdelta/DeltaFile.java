package org.syncproducts.source.offdelta;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One daily delta file as {@code index.txt} lists it:
 * {@code openfoodfacts_products_{first}_{last}.json.gz}, named with the UNIX times of its first and
 * last change. Files are applied in name order.
 *
 * @param name  the file name
 * @param first the time of its first change (seconds)
 * @param last  the time of its last change (seconds)
 */
record DeltaFile(String name, long first, long last) implements Comparable<DeltaFile> {
    private static final Pattern NAME = Pattern.compile("openfoodfacts_products_([0-9]{1,18})_([0-9]{1,18})\\.json\\.gz");

    /** The file a name stands for, or empty when the name is not a delta file's. */
    static Optional<DeltaFile> parse(String name) {
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new DeltaFile(name, Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))));
    }

    @Override
    public int compareTo(DeltaFile other) {
        return name.compareTo(other.name);
    }

    /** A UNIX time as an instant, for messages. */
    static String describe(long seconds) {
        return Instant.ofEpochSecond(seconds).toString();
    }
}
