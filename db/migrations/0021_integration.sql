-- 0021_integration: scoped API keys for partner systems (docs/integration-api.md)
-- and the completed trainings partners push.

-- A key is "eok_<prefix>_<secret>": the prefix (12 hex digits, random) finds
-- the row, the secret (256 random bits) is checked against its SHA-256. The
-- key is shown once at creation and never stored.
create table api_keys (
    id            bigint generated always as identity primary key,
    prefix        text not null unique check (prefix ~ '^[0-9a-f]{12}$'),
    secret_sha256 bytea not null check (length(secret_sha256) = 32),
    -- the partner system; idempotency of pushes is per partner (keys rotate, partners stay)
    partner       text not null check (partner ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    description   text not null default '' check (length(description) <= 200),
    scopes        text[] not null check (cardinality(scopes) between 1 and 3
                      and scopes <@ array['assessment:write', 'training:write', 'employees:read']),
    created_by    bigint references employees(id),
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    revoked_by    bigint references employees(id)
);
create index api_keys_created_idx on api_keys (created_at desc, id desc);

-- Trainings a partner reports as completed. Another module feeds them into
-- the profile's development history and the RPI realisation.
create table training_completions (
    id                  bigint generated always as identity primary key,
    employee_id         bigint not null references employees(id),
    title               text not null check (length(btrim(title)) between 1 and 300),
    organiser           text not null check (length(btrim(organiser)) between 1 and 200),
    jp_hours            numeric(6, 2) not null check (jp_hours > 0 and jp_hours <= 1000),
    started_on          date not null,
    finished_on         date not null check (finished_on >= started_on),
    partner             text not null check (length(partner) <= 100),
    partner_training_id text not null check (length(partner_training_id) between 1 and 200),
    api_key_id          bigint references api_keys(id),
    created_at          timestamptz not null default now(),
    unique (partner, partner_training_id)
);
create index training_completions_employee_idx on training_completions (employee_id, finished_on desc, id desc);

-- The key that pushed an assessment (NULL for manual, import and self).
alter table assessments add column api_key_id bigint references api_keys(id);
