-- Issue 13: images may live in an S3 bucket as well as a local directory. Each stored image
-- records which store holds it, so switching stores fetches the images into the new one; rows from
-- before this migration were all in the one configured store and stay valid (NULL = the current store).
ALTER TABLE product_images ADD COLUMN store text;

-- Issue 9: the images phase of `sync --images` reports its own counts and time with its job
-- (stored, already_stored, failed, skipped, duration_ms, store).
ALTER TABLE jobs ADD COLUMN images jsonb;
