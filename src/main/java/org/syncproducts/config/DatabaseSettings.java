package org.syncproducts.config;

import java.nio.file.Path;

/**
 * Where the database is. With no {@link #url()}, the embedded PostgreSQL in {@link #embeddedDir()}
 * is used.
 *
 * @param url         JDBC URL ({@code jdbc:postgresql://...}), or null for the embedded database
 * @param user        user name, or null to use the URL's
 * @param password    password, or null; never printed (see {@link #toString()})
 * @param embeddedDir data directory of the embedded database
 * @param poolSize    connections kept open
 */
public record DatabaseSettings(String url, String user, String password, Path embeddedDir, int poolSize) {

    public boolean isEmbedded() {
        return url == null;
    }

    /** The URL with any password in it masked, for logs and job rows. */
    public String maskedUrl() {
        return url == null ? "embedded:" + embeddedDir : DatabaseUrls.mask(url);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + maskedUrl() + ", user=" + user + ", password="
                + (password == null ? "none" : "***") + ", poolSize=" + poolSize + "]";
    }
}
