package org.syncproducts.sync;

/** How much a sync job refreshes (SPEC §4). */
public enum Strategy {
    /** Add products not yet present; leave existing ones alone. */
    INCREMENTAL("incremental"),
    /** Refresh every product in scope; rows whose content did not change are not rewritten. */
    FULL("full");

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
