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
 * @param schema      the schema that holds every object the tool owns ({@link #DEFAULT_SCHEMA} unless set)
 * @param schemaSet   whether the operator named the schema (config, environment or flag)
 */
public record DatabaseSettings(String url, String user, String password, Path embeddedDir, int poolSize,
                               String schema, boolean schemaSet) {
    /** The schema used when none is configured. */
    public static final String DEFAULT_SCHEMA = "sync_products";

    /** Settings with the default schema. */
    public DatabaseSettings(String url, String user, String password, Path embeddedDir, int poolSize) {
        this(url, user, password, embeddedDir, poolSize, DEFAULT_SCHEMA, false);
    }

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
                + (password == null ? "none" : "***") + ", poolSize=" + poolSize + ", schema=" + schema + "]";
    }
}
