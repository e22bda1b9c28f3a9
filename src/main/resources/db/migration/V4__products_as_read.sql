-- Products as people read them, and codes as real data holds them (issue 7).
-- Never edit this file once landed: add V5__... instead.

-- Codes that are not GTINs (short internal codes, 15+ digit store codes) are kept under their own
-- digits; every row stored so far was a GTIN.
ALTER TABLE products ADD COLUMN is_gtin boolean NOT NULL DEFAULT true;

-- Normalized allergen and trace tags next to the source's text: a product whose text names one
-- allergen while its tags name three must not look safer than it is.
ALTER TABLE products ADD COLUMN allergens_tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE products ADD COLUMN traces text;
ALTER TABLE products ADD COLUMN traces_tags text[] NOT NULL DEFAULT '{}';

CREATE INDEX products_not_gtin_idx ON products (code) WHERE NOT is_gtin;

-- A sync compares each source record's content hash with the stored one and leaves equal rows
-- alone. A direct edit of a row's synced content (an UPDATE that keeps content_hash, as only a
-- person or another program would: a sync always writes the new hash with new content) would
-- then never be repaired. This trigger turns such an edit's hash into one no source record can
-- have for the old content, so the next `sync --full` sees the difference and rewrites the row.
-- Columns people and the tool manage themselves are not content.
CREATE FUNCTION products_mark_direct_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.content_hash = OLD.content_hash THEN
        IF to_jsonb(NEW) - ARRAY['verified', 'first_seen_at', 'last_synced_at', 'last_changed_at',
                                 'content_hash', 'deleted_at']
           IS DISTINCT FROM
           to_jsonb(OLD) - ARRAY['verified', 'first_seen_at', 'last_synced_at', 'last_changed_at',
                                 'content_hash', 'deleted_at'] THEN
            NEW.content_hash := ~OLD.content_hash;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER products_direct_edit BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION products_mark_direct_edit();
