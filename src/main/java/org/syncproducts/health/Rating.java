package org.syncproducts.health;

/** The range a health score falls in (SPEC §7). */
public enum Rating {
    /** 90 to 100. */
    EXCELLENT,
    /** 80 to under 90. */
    GOOD,
    /** 70 to under 80. */
    FAIR,
    /** Under 70. */
    POOR;

    /** The rating of a score rounded to one decimal, as it is shown. */
    public static Rating of(double score) {
        if (score >= 90) {
            return EXCELLENT;
        }
        if (score >= 80) {
            return GOOD;
        }
        if (score >= 70) {
            return FAIR;
        }
        return POOR;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
