package org.syncproducts.verify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one {@code verify} check.
 *
 * @param name    stable identifier: {@code coverage}, {@code check_digits}, {@code duplicate_codes},
 *                {@code stale_jobs} or {@code source:NAME}
 * @param passed  false when the check found a discrepancy
 * @param message one line for the operator, with the figures and, on failure, what to do
 * @param figures the numbers behind the message, for {@code --json}
 */
public record VerifyCheck(String name, boolean passed, String message, Map<String, Object> figures) {
    public VerifyCheck {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }
}
