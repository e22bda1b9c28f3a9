package org.syncproducts.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.syncproducts.SyncProductsException;

/**
 * Turns the database URL forms operators use into JDBC: {@code jdbc:postgresql://...} as is, and
 * {@code postgresql://user:password@host:port/db?params} (or {@code postgres://}) as libpq and
 * most hosting providers print it.
 */
public final class DatabaseUrls {

    /** A JDBC URL with the credentials taken out of it. */
    public record Jdbc(String url, String user, String password) {
        @Override
        public String toString() {
            return "Jdbc[url=" + mask(url) + ", user=" + user + "]";
        }
    }

    private DatabaseUrls() {
    }

    public static Jdbc toJdbc(String url) {
        String text = url.strip();
        if (text.startsWith("jdbc:postgresql:")) {
            return new Jdbc(text, null, null);
        }
        if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
            throw SyncProductsException.config("database URL must start with jdbc:postgresql:, postgresql:// or postgres://; got "
                    + mask(text));
        }
        try {
            URI uri = new URI(text);
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            if (uri.getHost() == null) {
                throw SyncProductsException.config("database URL has no host: " + mask(text));
            }
            String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new Jdbc("jdbc:postgresql://" + host + path + query, user, password);
        } catch (URISyntaxException e) {
            throw SyncProductsException.config("database URL is not a valid URL: " + mask(text));
        }
    }

    /** Masks the password in {@code user:password@} and in a {@code password=} parameter. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        // Up to the last '@' of the authority: a password pasted without percent-encoding may hold
        // '@' or '/', and masking too much is better than showing part of it.
        return url.replaceAll("(//[^/:@?#]*:)[^?#]*@", "$1***@")
                .replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** Percent-decoding only: in a URL's user info '+' is a plus, not a space (as libpq reads it). */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
