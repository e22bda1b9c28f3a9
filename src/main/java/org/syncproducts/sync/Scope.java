package org.syncproducts.sync;

import java.util.Locale;
import java.util.Set;
import org.syncproducts.model.Product;

/**
 * Which products a job may touch: all, or only given codes ({@code --upcs}, {@code --upcs-file},
 * {@code --targets-only}) and/or categories ({@code --categories}).
 *
 * @param codes      canonical codes allowed, or null for any
 * @param categories category names allowed, or null for any; "en:milk" and "milk" both match
 *                   the tag "en:milk"
 */
public record Scope(Set<String> codes, Set<String> categories) {
    public static final Scope ALL = new Scope(null, null);

    public Scope {
        codes = codes == null ? null : Set.copyOf(codes);
        categories = categories == null ? null : categories.stream().map(Scope::normalize)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public boolean isAll() {
        return codes == null && categories == null;
    }

    public boolean includes(Product product) {
        if (codes != null && !codes.contains(product.code().canonical())) {
            return false;
        }
        if (categories == null) {
            return true;
        }
        for (String tag : product.categories()) {
            String normalized = normalize(tag);
            if (categories.contains(normalized)) {
                return true;
            }
            int colon = normalized.indexOf(':');
            if (colon >= 0 && categories.contains(normalized.substring(colon + 1))) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String category) {
        return category.strip().toLowerCase(Locale.ROOT).replace(' ', '-');
    }
}
