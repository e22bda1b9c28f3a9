-- sync-products data model (SPEC §5). Never edit this file once landed: add V2__... instead.

CREATE TABLE products (
    code               text PRIMARY KEY,            -- canonical key: GTIN-14, zero-padded
    display_code       text        NOT NULL,        -- the code as the source gave it
    check_digit_valid  boolean     NOT NULL,
    name               text,
    brands             text,
    categories         text[]      NOT NULL DEFAULT '{}',
    quantity           text,
    image_url          text,
    energy_kcal_100g   numeric,
    fat_100g           numeric,
    saturated_fat_100g numeric,
    carbohydrates_100g numeric,
    sugars_100g        numeric,
    fiber_100g         numeric,
    proteins_100g      numeric,
    salt_100g          numeric,
    sodium_100g        numeric,
    ingredients        text,
    allergens          text,
    nutriscore_grade   text CHECK (nutriscore_grade IN ('a', 'b', 'c', 'd', 'e')),
    nova_group         smallint CHECK (nova_group BETWEEN 1 AND 4),
    source             text        NOT NULL,        -- the source whose data the row holds
    source_modified_at timestamptz,                 -- the source's own last-modified time
    verified           boolean     NOT NULL DEFAULT false,  -- set by people; a sync never touches it
    first_seen_at      timestamptz NOT NULL DEFAULT now(),
    last_synced_at     timestamptz NOT NULL DEFAULT now(),  -- last time a sync wrote the row
    last_changed_at    timestamptz NOT NULL DEFAULT now(),  -- last time its content changed
    content_hash       bigint      NOT NULL,        -- fingerprint of the synced content
    deleted_at         timestamptz,                 -- soft delete
    extra              jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX products_source_idx ON products (source);

CREATE TABLE targets (
    list_name    text        NOT NULL DEFAULT 'default',
    code         text        NOT NULL,               -- canonical key, as products.code
    display_code text        NOT NULL,
    category     text,
    added_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (list_name, code)
);

CREATE INDEX targets_code_idx ON targets (code);

CREATE TABLE jobs (
    id              bigserial PRIMARY KEY,
    status          text        NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
    strategy        text        NOT NULL,
    dry_run         boolean     NOT NULL DEFAULT false,
    sources         text[]      NOT NULL DEFAULT '{}',
    config          jsonb       NOT NULL DEFAULT '{}',  -- the run's settings, secrets removed
    host            text,
    pid             bigint,
    started_at      timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz,
    heartbeat_at    timestamptz NOT NULL DEFAULT now(),
    read_count      bigint      NOT NULL DEFAULT 0,
    added_count     bigint      NOT NULL DEFAULT 0,
    updated_count   bigint      NOT NULL DEFAULT 0,
    unchanged_count bigint      NOT NULL DEFAULT 0,
    skipped_count   bigint      NOT NULL DEFAULT 0,
    failed_count    bigint      NOT NULL DEFAULT 0,
    progress_done   bigint      NOT NULL DEFAULT 0,
    progress_total  bigint      NOT NULL DEFAULT 0,
    checkpoint      jsonb,                              -- where a rerun resumes
    resumed_from    bigint REFERENCES jobs (id),
    message         text
);

CREATE INDEX jobs_started_idx ON jobs (started_at DESC);
CREATE INDEX jobs_status_idx ON jobs (status);

CREATE TABLE errors (
    id          bigserial PRIMARY KEY,
    job_id      bigint      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    barcode     text,
    source      text,
    line_number bigint,
    error_type  text        NOT NULL,
    code        text,
    message     text        NOT NULL,
    retryable   boolean     NOT NULL DEFAULT false,
    retries     integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);

CREATE INDEX errors_job_idx ON errors (job_id);
CREATE INDEX errors_unresolved_idx ON errors (barcode) WHERE resolved_at IS NULL;

-- Per-source state kept between runs: watermarks, cursors, the last completed sync.
CREATE TABLE source_state (
    source                 text PRIMARY KEY,
    state                  jsonb       NOT NULL DEFAULT '{}',
    last_completed_job_id  bigint REFERENCES jobs (id) ON DELETE SET NULL,
    last_completed_at      timestamptz,
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Time series written by health checks.
CREATE TABLE health_checks (
    id         bigserial PRIMARY KEY,
    checked_at timestamptz NOT NULL DEFAULT now(),
    score      numeric     NOT NULL,
    rating     text        NOT NULL,
    healthy    boolean     NOT NULL,
    coverage   numeric,
    freshness  numeric,
    quality    numeric,
    alerts     jsonb       NOT NULL DEFAULT '[]',
    details    jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX health_checks_time_idx ON health_checks (checked_at DESC);

CREATE TABLE coverage_metrics (
    id          bigserial PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    metric      text        NOT NULL,   -- overall, image, nutrition, source, target_category
    dimension   text        NOT NULL DEFAULT '',
    covered     bigint      NOT NULL,
    total       bigint      NOT NULL,
    percent     numeric     NOT NULL
);

CREATE INDEX coverage_metrics_time_idx ON coverage_metrics (recorded_at DESC, metric);
