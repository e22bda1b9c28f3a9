-- API sources (issue 3): typed, retryable lookup errors and the memory of codes no source has.

-- Tries made for the failed item (HTTP requests, retries included), and the canonical code the
-- error is about, so `sync --retry-failed` can find the codes and resolve their errors when they
-- succeed whatever form the code was written in.
ALTER TABLE errors
    ADD COLUMN attempts       integer NOT NULL DEFAULT 1,
    ADD COLUMN canonical_code text;

CREATE INDEX errors_retryable_unresolved_idx ON errors (canonical_code)
    WHERE resolved_at IS NULL AND retryable AND canonical_code IS NOT NULL;

-- Codes every lookup source answered it does not have, with when they were asked: not asked
-- again before the re-check interval unless named (--upcs) or a full sync.
CREATE TABLE lookup_misses (
    code       text PRIMARY KEY,                 -- canonical key, as products.code
    sources    text[]      NOT NULL,             -- the sources asked, in priority order
    checked_at timestamptz NOT NULL DEFAULT now(),
    job_id     bigint REFERENCES jobs (id) ON DELETE SET NULL
);

CREATE INDEX lookup_misses_checked_idx ON lookup_misses (checked_at);

-- Front images downloaded by `sync --images`, stored content-addressed (the path is derived from
-- the SHA-256 of the bytes, so one image shared by many products is stored once).
CREATE TABLE product_images (
    code         text PRIMARY KEY REFERENCES products (code) ON DELETE CASCADE,
    source_url   text        NOT NULL,             -- the product's image_url when it was fetched
    status       text        NOT NULL CHECK (status IN ('stored', 'failed')),
    path         text,                             -- relative to the images directory
    sha256       text,
    size_bytes   bigint,
    content_type text,
    public_url   text,                             -- images public base URL + path
    error        text,                             -- why the last try failed
    fetched_at   timestamptz NOT NULL DEFAULT now()
);
