package org.syncproducts.source.upc;

/** UPC databases give one category path ("Food, Beverages & Tobacco > Food Items > Snacks"). */
final class UpcCategories {
    private UpcCategories() {
    }

    /**
     * The most specific level of a category path, as one tag: commas would split it into several
     * categories, so they become spaces.
     */
    static String lastLevel(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        int arrow = path.lastIndexOf('>');
        String last = (arrow >= 0 ? path.substring(arrow + 1) : path).replace(',', ' ').replaceAll("\\s+", " ").strip();
        return last.isEmpty() ? null : last;
    }
}
