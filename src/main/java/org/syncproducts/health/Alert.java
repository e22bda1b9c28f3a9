package org.syncproducts.health;

/**
 * One finding of a health check.
 *
 * @param code    a stable identifier for scripts, e.g. {@code coverage_below_minimum}
 * @param message what is wrong, with the figures
 * @param action  what to do about it, naming the command to run
 */
public record Alert(Severity severity, String code, String message, String action) {

    /** How bad a finding is; ordered, so {@code compareTo} says which is worse. */
    public enum Severity {
        INFO, WARNING, CRITICAL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
