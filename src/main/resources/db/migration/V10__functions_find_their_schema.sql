-- The trigger functions of V4, V7 and V9 name the tool's tables and functions unqualified, so they
-- resolved only in sessions whose search_path holds the tool's schema (the tool's own). A person's
-- `UPDATE sync_products.products SET verified = true` from psql, or another program's, failed with
-- "function product_count_keys(sync_products.products) does not exist", and a schema-qualified
-- TRUNCATE with "relation product_counts does not exist". Each function now carries the search_path
-- the migration runs with (the tool's schema, whatever the operator named it), and so finds its own
-- tables from any session. A later CREATE OR REPLACE of one of them must repeat this SET clause.
-- product_count_keys names no table and stays as it is: a SET clause would stop the planner from
-- inlining it into the writer's statements.
ALTER FUNCTION products_count_change() SET search_path FROM CURRENT;
ALTER FUNCTION products_count_truncate() SET search_path FROM CURRENT;
ALTER FUNCTION product_counts_add(products, integer) SET search_path FROM CURRENT;
ALTER FUNCTION product_counts_actual() SET search_path FROM CURRENT;
ALTER FUNCTION products_mark_direct_edit() SET search_path FROM CURRENT;
