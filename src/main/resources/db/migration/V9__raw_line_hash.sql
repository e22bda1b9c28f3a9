-- Issue 12 item 2: a re-sync of an unchanged export costs reading it and comparing hashes. Never
-- edit this file once landed: add V10__... instead.
--
-- raw_hash is a hash of the export line a row was written from, seeded with everything else that
-- decides what the line becomes (the header line, the source name, sync.languages, the parser
-- version; see sync/RawLineShortcut). A full re-sync skips, without parsing them, the lines whose
-- code is a live row with that exact raw_hash. NULL for rows written any other way (API lookups,
-- REST and PostgreSQL feeds, upserts without a line), and for rows changed since: the sync writes
-- it with every row, and the trigger below clears it when anything else edits a row's content.
ALTER TABLE products ADD COLUMN raw_hash bigint;

-- V4's trigger function, new version: raw_hash is not content (a sync filling it in for an unchanged
-- row is no edit), and an edit of content that leaves raw_hash as it was (a person's UPDATE, another
-- program's, whatever it does to content_hash) clears it, so the next re-sync parses the line again
-- and repairs the row.
CREATE OR REPLACE FUNCTION products_mark_direct_edit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    managed CONSTANT text[] := ARRAY['verified', 'first_seen_at', 'last_synced_at', 'last_changed_at',
                                     'content_hash', 'deleted_at', 'raw_hash'];
BEGIN
    -- Nested, so the row comparison is only paid when it can matter (a sync's own UPDATE writes a new
    -- content_hash and a new or NULL raw_hash, and skips it).
    IF NEW.content_hash = OLD.content_hash
       OR (OLD.raw_hash IS NOT NULL AND NEW.raw_hash IS NOT DISTINCT FROM OLD.raw_hash) THEN
        IF to_jsonb(NEW) - managed IS DISTINCT FROM to_jsonb(OLD) - managed THEN
            IF NEW.content_hash = OLD.content_hash THEN
                NEW.content_hash := ~OLD.content_hash;
            END IF;
            IF NEW.raw_hash IS NOT DISTINCT FROM OLD.raw_hash THEN
                NEW.raw_hash := NULL;
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- The writer's own statements (it sets sync_products.counting = 'writer' for them, V7) write what
-- the export says, content and hashes together: they are no edit to detect. Without this, filling
-- in the raw hash of every unchanged row after the upgrade compared each whole row as JSON twice.
DROP TRIGGER products_direct_edit ON products;
CREATE TRIGGER products_direct_edit BEFORE UPDATE ON products
    FOR EACH ROW WHEN (current_setting('sync_products.counting', true) IS DISTINCT FROM 'writer')
    EXECUTE FUNCTION products_mark_direct_edit();
