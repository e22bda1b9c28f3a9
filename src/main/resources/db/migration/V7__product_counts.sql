-- Kept product counts (issue 12): what `stats`, `monitor` and the report read, so their cost does
-- not grow with the products table. Never edit this file once landed: add V8__... instead.
--
-- Counts are of live products (deleted_at IS NULL). The sync's writer (ProductWriter) adds the
-- deltas of every batch in the batch's own transaction, so they commit or roll back with the rows;
-- while it does, it sets sync_products.counting = 'writer' for its own statements only. Every
-- other change to products (a person's INSERT, UPDATE or DELETE, another program's) is counted by
-- the row trigger below. `verify` compares the kept counts with a real count; `verify --repair`
-- rebuilds them.
CREATE TABLE product_counts (
    dimension text   NOT NULL CHECK (dimension IN ('total', 'source', 'category', 'image', 'nutrition')),
    value     text   NOT NULL DEFAULT '',   -- the source or category tag; '' for the others
    products  bigint NOT NULL,
    PRIMARY KEY (dimension, value)
);

-- The counters one product adds to: total, its source, each category tag (a tag listed twice
-- counts twice, as unnest does), with image, with nutrition (any of the nutrient columns).
CREATE FUNCTION product_count_keys(p products) RETURNS TABLE (dimension text, value text) LANGUAGE sql IMMUTABLE AS $$
    SELECT k.dimension, k.value
    FROM (VALUES ('total', '', true), ('source', p.source, true), ('image', '', p.image_url IS NOT NULL),
                 ('nutrition', '', num_nonnulls(p.energy_kcal_100g, p.fat_100g, p.saturated_fat_100g,
                      p.carbohydrates_100g, p.sugars_100g, p.fiber_100g, p.proteins_100g, p.salt_100g, p.sodium_100g) > 0))
         AS k (dimension, value, counted)
    WHERE k.counted
    UNION ALL SELECT 'category', tag FROM unnest(p.categories) AS tag WHERE tag IS NOT NULL
$$;

-- The counts as the rows say: what the kept counts must equal (`verify`), and how they are rebuilt.
CREATE FUNCTION product_counts_actual() RETURNS TABLE (dimension text, value text, products bigint)
    LANGUAGE sql STABLE AS $$
    SELECT k.dimension, k.value, count(*) FROM products p, product_count_keys(p) k
    WHERE p.deleted_at IS NULL GROUP BY 1, 2
$$;

-- Adds one product's counters with sign +1 or -1 (the trigger's path; the writer adds whole batches).
CREATE FUNCTION product_counts_add(p products, sign integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO product_counts AS c (dimension, value, products)
    SELECT k.dimension, k.value, sum(sign) FROM product_count_keys(p) k
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (dimension, value) DO UPDATE SET products = c.products + excluded.products
$$;

CREATE FUNCTION products_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        IF TG_OP = 'UPDATE' AND NEW.deleted_at IS NULL
           AND ARRAY(SELECT k.dimension || ':' || k.value FROM product_count_keys(NEW) k ORDER BY 1)
             = ARRAY(SELECT k.dimension || ':' || k.value FROM product_count_keys(OLD) k ORDER BY 1) THEN
            RETURN NULL;  -- nothing counted changed
        END IF;
        PERFORM product_counts_add(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        PERFORM product_counts_add(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

-- The WHEN clause is all the writer's COPY pays per row: no trigger call, no queued event.
CREATE TRIGGER products_count_change AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW WHEN (current_setting('sync_products.counting', true) IS DISTINCT FROM 'writer')
    EXECUTE FUNCTION products_count_change();

CREATE FUNCTION products_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM product_counts;
    RETURN NULL;
END $$;

CREATE TRIGGER products_count_truncate AFTER TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION products_count_truncate();

-- verified is set by people, one row at a time: its count reads this index (no row of a bulk
-- load enters it, so loads do not pay for it).
CREATE INDEX products_verified_idx ON products (code) WHERE verified AND deleted_at IS NULL;

-- Deleted products are few: with this index, "is this target present" is an index-only probe of
-- the primary key plus a probe here, never a visit to the products heap.
CREATE INDEX products_deleted_idx ON products (code) WHERE deleted_at IS NOT NULL;

-- Existing databases start with exact counts of their current rows.
INSERT INTO product_counts (dimension, value, products) SELECT * FROM product_counts_actual();
