-- Operator controls (issue 4): cancelling a running job, pausing syncs, named schedules.
-- Never edit once landed: add V4__... instead.

-- `jobs cancel ID` records who asked; the running sync checks between batches and stops.
ALTER TABLE jobs
    ADD COLUMN cancel_requested_at timestamptz,
    ADD COLUMN cancel_requested_by text;

-- The pause switch: at most one row. While it exists (and until has not passed), `sync` does nothing.
CREATE TABLE sync_pause (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    paused_at    timestamptz NOT NULL DEFAULT now(),
    paused_by    text        NOT NULL,
    reason       text,
    paused_until timestamptz                        -- null: until `resume`
);

-- When each named schedule (config `schedules:`) last started a sync, for `sync --if-due NAME`.
CREATE TABLE schedule_runs (
    name            text PRIMARY KEY,
    last_started_at timestamptz NOT NULL,
    last_job_id     bigint REFERENCES jobs (id) ON DELETE SET NULL
);

-- `cleanup --older-than` deletes by age.
CREATE INDEX jobs_ended_idx ON jobs (ended_at) WHERE status <> 'running';
CREATE INDEX errors_created_idx ON errors (created_at);
CREATE INDEX coverage_metrics_recorded_idx ON coverage_metrics (recorded_at);
