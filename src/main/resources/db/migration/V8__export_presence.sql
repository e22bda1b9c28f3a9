-- Issue 11 item 5: a full export run may mark the products of its source that are absent from the
-- export as deleted (opt-in sync.mark_missing_deleted). The codes each batch saw are kept here, in
-- the batch's own transaction, so the set is exact when the run is resumed after a crash; the rows
-- of a run are removed once its absent products have been marked. job_id is the first job of a
-- resumed chain. No primary key: a code read twice costs a duplicate row, not a lookup per row.
CREATE TABLE export_seen_codes (
    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    source text   NOT NULL,
    code   text   NOT NULL
);
CREATE INDEX export_seen_codes_job ON export_seen_codes (job_id, source);

-- Issue 11 item 4: `sync --auto` loads the full export when no whole read of it has succeeded yet.
-- Set when a full, unnarrowed run read the source to its end within the failure tolerance.
ALTER TABLE source_state ADD COLUMN last_full_read_at timestamptz;
