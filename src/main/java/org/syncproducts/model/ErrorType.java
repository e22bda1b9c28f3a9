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
    READ_ERROR("read_error", true),
    /** An HTTP source could not be reached: connection refused or reset, DNS failure. */
    NETWORK("network", true),
    /** An HTTP source did not answer in time (connect, read or whole-call timeout). */
    TIMEOUT("timeout", true),
    /** An HTTP source said to slow down (429), and kept saying it through every retry. */
    RATE_LIMIT("rate_limit", true),
    /** An HTTP source failed on its side (5xx), or its circuit breaker was open. */
    SERVER("server", true),
    /** An HTTP source refused the credentials (401, 403): fix the API key. */
    AUTH("auth", false),
    /** An HTTP source answered with something unusable: malformed JSON, an HTML page, the wrong content type, too large. */
    BAD_RESPONSE("bad_response", true),
    /** An HTTP source refused the request as invalid (another 4xx), e.g. a code it does not accept. */
    VALIDATION("validation", false);

    private final String code;
    private final boolean retryable;

    ErrorType(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    /**
     * Whether the error means the input ended before its end (a truncated .gz, a read error): the
     * records before it are kept, but the job has not read its input and fails.
     */
    public boolean endsInput() {
        return this == TRUNCATED_INPUT || this == READ_ERROR;
    }

    /** Whether trying again later could succeed (a fixed input, a network that came back). */
    public boolean retryable() {
        return retryable;
    }
}
