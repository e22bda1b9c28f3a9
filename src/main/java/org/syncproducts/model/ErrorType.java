package org.syncproducts.model;

/**
 * Why one item (a line, a record, a barcode) could not be synced. The {@link #code()} is what the
 * errors table and reports show.
 */
public enum ErrorType {
    /** A line that does not have the shape of its format (wrong column count, broken JSON). */
    MALFORMED_LINE("malformed_line", false),
    /** The barcode is empty, has non-digits or a wrong length. */
    INVALID_BARCODE("invalid_barcode", false),
    /** Bytes that are not valid in the declared encoding. */
    INVALID_ENCODING("invalid_encoding", false),
    /** A NUL byte, which PostgreSQL text cannot hold. */
    NUL_BYTE("nul_byte", false),
    /** A field longer than the product field allows. */
    FIELD_TOO_LONG("field_too_long", false),
    /** A line longer than the reader accepts; skipped without being held in memory. */
    LINE_TOO_LONG("line_too_long", false),
    /** The input ended early (a truncated .gz): the rest of the file was not read. */
    TRUNCATED_INPUT("truncated_input", true),
    /** The input could not be read (an I/O error). */
    READ_ERROR("read_error", true);

    private final String code;
    private final boolean retryable;

    ErrorType(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    /** Whether trying again later could succeed (a fixed input, a network that came back). */
    public boolean retryable() {
        return retryable;
    }
}
