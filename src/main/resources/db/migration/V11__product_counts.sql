-- Counts that `stats` and `monitor` read instead of scanning products (issue 12): their cost no
-- longer grows with the table. Kept exact by statement-level triggers with transition tables, in
-- the transaction of the statement that changed products, whoever ran it: a sync's batch (its
-- COPY or UPDATE), a person setting `verified`, a soft or hard delete, a TRUNCATE. A crash loses
-- the counts of a batch together with the batch. Only live products (deleted_at IS NULL) count.
-- Never edit this file once landed: add a later migration instead.

CREATE TABLE product_counts (
    source         text PRIMARY KEY,
    products       bigint NOT NULL DEFAULT 0,
    with_image     bigint NOT NULL DEFAULT 0,
    with_nutrition bigint NOT NULL DEFAULT 0,
    verified       bigint NOT NULL DEFAULT 0
);

CREATE TABLE category_counts (
    category text PRIMARY KEY,
    products bigint NOT NULL DEFAULT 0
);

CREATE INDEX category_counts_products_idx ON category_counts (products DESC, category);

-- What one product row contributes to the counts, signed: +1 for a row that appears, -1 for one
-- that goes (an UPDATE is both).
CREATE TYPE product_count_delta AS (
    sign int, source text, has_image boolean, has_nutrition boolean, verified boolean, categories text[]);

CREATE FUNCTION product_count_delta_of(sign int, product products) RETURNS product_count_delta
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ROW(sign, product.source, product.image_url IS NOT NULL,
               num_nonnulls(product.energy_kcal_100g, product.fat_100g, product.saturated_fat_100g,
                            product.carbohydrates_100g, product.sugars_100g, product.fiber_100g,
                            product.proteins_100g, product.salt_100g, product.sodium_100g) > 0,
               product.verified, product.categories)::product_count_delta
$$;

CREATE FUNCTION product_counts_merge(deltas product_count_delta[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO product_counts AS c (source, products, with_image, with_nutrition, verified)
    SELECT source, sum(sign), coalesce(sum(sign) FILTER (WHERE has_image), 0),
           coalesce(sum(sign) FILTER (WHERE has_nutrition), 0), coalesce(sum(sign) FILTER (WHERE verified), 0)
    FROM unnest(deltas) GROUP BY source
    HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE has_image) <> 0
        OR sum(sign) FILTER (WHERE has_nutrition) <> 0 OR sum(sign) FILTER (WHERE verified) <> 0
    ON CONFLICT (source) DO UPDATE SET
        products = c.products + excluded.products,
        with_image = c.with_image + excluded.with_image,
        with_nutrition = c.with_nutrition + excluded.with_nutrition,
        verified = c.verified + excluded.verified;
    INSERT INTO category_counts AS c (category, products)
    SELECT category, sum(delta.sign) FROM unnest(deltas) AS delta, unnest(delta.categories) AS category
    GROUP BY category HAVING sum(delta.sign) <> 0
    ON CONFLICT (category) DO UPDATE SET products = c.products + excluded.products;
$$;

CREATE FUNCTION product_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM product_counts;
        DELETE FROM category_counts;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM product_counts_merge(ARRAY(
            SELECT product_count_delta_of(1, n) FROM new_rows n WHERE n.deleted_at IS NULL));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM product_counts_merge(ARRAY(
            SELECT product_count_delta_of(-1, o) FROM old_rows o WHERE o.deleted_at IS NULL));
    ELSE
        PERFORM product_counts_merge(ARRAY(
            SELECT product_count_delta_of(1, n) FROM new_rows n WHERE n.deleted_at IS NULL
            UNION ALL
            SELECT product_count_delta_of(-1, o) FROM old_rows o WHERE o.deleted_at IS NULL));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER products_count_inserts AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_counts_apply();
CREATE TRIGGER products_count_updates AFTER UPDATE ON products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION product_counts_apply();
CREATE TRIGGER products_count_deletes AFTER DELETE ON products
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION product_counts_apply();
CREATE TRIGGER products_count_truncates AFTER TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION product_counts_apply();

-- Counts of what is already stored.
INSERT INTO product_counts (source, products, with_image, with_nutrition, verified)
SELECT source, count(*), count(*) FILTER (WHERE image_url IS NOT NULL),
       count(*) FILTER (WHERE num_nonnulls(energy_kcal_100g, fat_100g, saturated_fat_100g, carbohydrates_100g,
                                           sugars_100g, fiber_100g, proteins_100g, salt_100g, sodium_100g) > 0),
       count(*) FILTER (WHERE verified)
FROM products WHERE deleted_at IS NULL GROUP BY source;

INSERT INTO category_counts (category, products)
SELECT category, count(*) FROM products, unnest(categories) AS category
WHERE deleted_at IS NULL GROUP BY category;
