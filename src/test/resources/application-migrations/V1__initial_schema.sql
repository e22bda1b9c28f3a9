-- An application's own first migration, as many applications that use Flyway name it: its
-- history in public must not be taken for an earlier version of sync-products (SchemaPlacementTest).
CREATE TABLE products (id serial PRIMARY KEY, sku text NOT NULL, price numeric);
