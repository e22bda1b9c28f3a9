package org.syncproducts.store;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.DatabaseSettings;

/**
 * Decides which schema holds the tool's objects, and checks the privileges that needs.
 *
 * <p>The tool keeps everything it owns in one schema ({@code sync_products} unless configured), so
 * it can run inside an application's own database and never touches anything outside it. Versions
 * before 0.4 kept their tables in {@code public}: such a database keeps using {@code public} (the
 * application may read {@code public.products}) until the operator names a schema, which then
 * moves the earlier version's tables into it, with their data, in one transaction.
 */
final class SchemaPlacement {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaPlacement.class);
    static final String PUBLIC = "public";
    static final String HISTORY_TABLE = "flyway_schema_history";

    /** The tables migrations V1 to V3 created: all an earlier version can have left in public. */
    private static final List<String> EARLIER_VERSION_TABLES = List.of("products", "targets", "jobs", "errors",
            "source_state", "health_checks", "coverage_metrics", "lookup_misses", "product_images", "sync_pause",
            "schedule_runs", HISTORY_TABLE);

    /** The schema a run uses, and what must happen to it before migrating. */
    record Decision(String schema, boolean moveFromPublic) {
    }

    private SchemaPlacement() {
    }

    /** Looks at the database through any connection (catalog queries only: no search path needed). */
    static Decision decide(Jdbi jdbi, DatabaseSettings settings) {
        String configured = settings.schema();
        if (configured.equals(PUBLIC)) {
            return new Decision(PUBLIC, false);
        }
        return jdbi.withHandle(handle -> {
            if (hasHistory(handle, configured) || !earlierVersionInPublic(handle)) {
                return new Decision(configured, false);
            }
            if (!settings.schemaSet()) {
                LOG.info("this database's sync-products tables are in schema public (made by an earlier version);"
                        + " using them there. To move them into a schema of their own, set database.schema"
                        + " (or DB_SCHEMA, --db-schema) to {} and run sync-products migrate", configured);
                return new Decision(PUBLIC, false);
            }
            return new Decision(configured, true);
        });
    }

    /**
     * Before migrations: fails with one line naming the missing privilege and the GRANT that fixes it,
     * and moves an earlier version's tables out of public when the decision says so.
     */
    static void prepare(Jdbi jdbi, Decision decision) {
        jdbi.useTransaction(handle -> {
            // Two first runs at once must not both create or move.
            handle.execute("SELECT pg_advisory_xact_lock(hashtext('sync-products schema placement'))");
            String schema = decision.schema();
            String role = handle.createQuery("SELECT current_user").mapTo(String.class).one();
            String databaseName = handle.createQuery("SELECT current_database()").mapTo(String.class).one();
            boolean exists = handle.createQuery("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = :schema)")
                    .bind("schema", schema).mapTo(Boolean.class).one();
            if (!exists) {
                boolean mayCreate = handle.createQuery("SELECT has_database_privilege(current_database(), 'CREATE')")
                        .mapTo(Boolean.class).one();
                if (!mayCreate) {
                    throw SyncProductsException.config("role " + role + " may not create schema " + schema
                            + " in database " + databaseName + ": have an administrator run 'CREATE SCHEMA " + schema
                            + " AUTHORIZATION " + role + ";' (or 'GRANT CREATE ON DATABASE " + databaseName + " TO "
                            + role + ";'), or set database.schema to a schema the role may use");
                }
            } else if (!hasHistory(handle, schema)) {
                boolean mayUse = handle.createQuery(
                                "SELECT has_schema_privilege(:schema, 'USAGE') AND has_schema_privilege(:schema, 'CREATE')")
                        .bind("schema", schema).mapTo(Boolean.class).one();
                if (!mayUse) {
                    throw SyncProductsException.config("role " + role + " may not create tables in schema " + schema
                            + ": have an administrator run 'GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role
                            + ";', or set database.schema to a schema the role may use");
                }
            }
            if (decision.moveFromPublic()) {
                moveFromPublic(handle, schema);
            }
        });
    }

    private static void moveFromPublic(Handle handle, String schema) {
        List<String> tables = handle.createQuery("""
                        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY(:tables)
                        ORDER BY c.relname""")
                .bind("tables", EARLIER_VERSION_TABLES.toArray(String[]::new)).mapTo(String.class).list();
        // DDL takes no bind parameters: the names travel as settings of this transaction and
        // format('%I') quotes them on the server, so no name is ever pasted into SQL here.
        handle.createQuery("SELECT set_config('sync_products.move_to', :schema, true),"
                        + " set_config('sync_products.move_tables', :tables, true)")
                .bind("schema", schema).bind("tables", String.join(",", tables)).mapTo(String.class).list();
        handle.execute("""
                DO $$
                DECLARE
                    target text := current_setting('sync_products.move_to');
                    name text;
                BEGIN
                    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', target);
                    FOREACH name IN ARRAY string_to_array(current_setting('sync_products.move_tables'), ',') LOOP
                        EXECUTE format('ALTER TABLE public.%I SET SCHEMA %I', name, target);
                    END LOOP;
                END $$""");
        LOG.warn("moved {} tables of an earlier version from schema public into schema {}: point the application at"
                + " {}.products", tables.size(), schema, schema);
    }

    private static boolean hasHistory(Handle handle, String schema) {
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                       WHERE n.nspname = :schema AND c.relname = :table)""")
                .bind("schema", schema).bind("table", HISTORY_TABLE).mapTo(Boolean.class).one();
    }

    /**
     * True when public holds what an earlier version of this tool left there: a Flyway history
     * whose first migration is the tool's, beside the tool's own products table (its
     * {@code content_hash} column) and {@code source_state}. An application that migrates with
     * Flyway in public (whose first script may well be called {@code V1__initial_schema.sql} too),
     * or any other table of that name, does not count. The history is read through
     * {@code to_jsonb}, so a table of that name with other columns is no error either.
     */
    private static boolean earlierVersionInPublic(Handle handle) {
        if (!hasHistory(handle, PUBLIC)) {
            return false;
        }
        boolean toolTables = handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                                       JOIN pg_namespace n ON n.oid = c.relnamespace
                                       WHERE n.nspname = 'public' AND c.relname = 'products'
                                         AND a.attname = 'content_hash' AND NOT a.attisdropped)
                           AND EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                       WHERE n.nspname = 'public' AND c.relname = 'source_state')""")
                .mapTo(Boolean.class).one();
        return toolTables && handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM public.flyway_schema_history h
                                       WHERE to_jsonb(h) ->> 'version' = '1'
                                         AND to_jsonb(h) ->> 'script' = 'V1__initial_schema.sql'
                                         AND to_jsonb(h) ->> 'success' = 'true')""")
                .mapTo(Boolean.class).one();
    }
}
