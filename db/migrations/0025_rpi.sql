-- 0025_rpi: the development programme catalogue, the RPI (Rencana
-- Pengembangan Individu: one development plan per employee per year) with its
-- items and revision history, and the last good copies of what Plataran Sehat
-- answered (docs/rpi.md, docs/integrations.md).

create table dev_programmes (
    id                bigint generated always as identity primary key,
    title             text not null check (length(btrim(title)) between 1 and 200),
    description       text not null default '' check (length(description) <= 4000),
    method            text not null check (method in ('pelatihan', 'coaching', 'mentoring', 'magang',
                                                      'e_learning', 'seminar', 'self_study', 'on_the_job')),
    -- the 10-20-70 model: formal 10 %, social 20 %, experiential 70 %
    category          text not null check (category in ('formal', 'social', 'experiential')),
    jp                integer not null check (jp between 1 and 1000),
    organiser_unit_id bigint references org_units(id),
    -- mandatory-for rules: everyone, or any of these positions / ranks
    mandatory_all       boolean not null default false,
    mandatory_positions bigint[] not null default '{}',
    mandatory_ranks     text[] not null default '{}',
    source            text not null default 'manual' check (source in ('manual', 'plataran')),
    external_id       text check (length(external_id) between 1 and 100),
    active            boolean not null default true,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    check ((source = 'plataran') = (external_id is not null))
);
create unique index dev_programmes_external_uniq on dev_programmes (source, external_id) where external_id is not null;
create index dev_programmes_list_idx on dev_programmes (created_at desc, id desc) where active;
create trigger dev_programmes_touch before update on dev_programmes
    for each row execute function eo_touch_updated_at();

create table dev_programme_competencies (
    programme_id  bigint not null references dev_programmes(id) on delete cascade,
    competency_id bigint not null references competencies(id),
    primary key (programme_id, competency_id)
);
create index dev_programme_competencies_comp_idx on dev_programme_competencies (competency_id);

create table rpis (
    id          bigint generated always as identity primary key,
    employee_id bigint not null references employees(id),
    year        smallint not null check (year between 2000 and 2100),
    status      text not null default 'draft' check (status in ('draft', 'submitted', 'verified', 'approved')),
    revision    integer not null default 1 check (revision >= 1),
    submitted_at timestamptz,
    verified_by  bigint references employees(id),
    verified_at  timestamptz,
    approved_by  bigint references employees(id),
    approved_at  timestamptz,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (employee_id, year)
);
create index rpis_status_idx on rpis (status, submitted_at desc, id desc);
create trigger rpis_touch before update on rpis
    for each row execute function eo_touch_updated_at();

create table rpi_items (
    rpi_id       bigint not null references rpis(id) on delete cascade,
    programme_id bigint not null references dev_programmes(id),
    kind         text not null check (kind in ('mandatory', 'recommended', 'additional')),
    added_at     timestamptz not null default now(),
    primary key (rpi_id, programme_id)
);

-- Every step of the workflow (the revision history and the reviewers' notes).
create table rpi_events (
    id          bigint generated always as identity primary key,
    rpi_id      bigint not null references rpis(id) on delete cascade,
    revision    integer not null,
    action      text not null check (action in ('create', 'submit', 'withdraw', 'verify', 'approve', 'return')),
    from_status text,
    to_status   text not null,
    actor_id    bigint references employees(id),
    note        text check (length(note) <= 1000),
    -- submit: the items and JP of that revision, so a returned plan keeps what was sent
    snapshot    jsonb,
    at          timestamptz not null default now()
);
create index rpi_events_rpi_idx on rpi_events (rpi_id, id);

-- The last good answer of Plataran Sehat per resource ("catalogue",
-- "schedule:<external id>"): the validator it came with and when it was
-- fetched, so the agenda can answer from it (stale) when Plataran is down.
create table plataran_cache (
    resource    text primary key check (length(resource) between 1 and 200),
    etag        text check (length(etag) <= 200),
    body        jsonb not null,
    fetched_at  timestamptz not null,
    checked_at  timestamptz not null,
    last_error  text check (length(last_error) <= 200)
);
