-- 0035_tpp: TPP (Tambahan Penghasilan Pegawai): versioned rules per
-- organisation subtree, imported kinerja scores, monthly results with their
-- inputs' fingerprint (docs/tpp.md).

-- Kelas jabatan (position class 1..17): what the base amount of a rule version is keyed by.
alter table positions add column class_grade smallint check (class_grade between 1 and 17);

-- A rule version applies to the employees of unit_id's subtree from
-- effective_from (a first of month) until the next version of the same unit;
-- the deepest unit with a version wins. locked_at: used by a closed month,
-- never changed again (make a new version).
create table tpp_rule_versions (
    id             bigint generated always as identity primary key,
    unit_id        bigint not null references org_units(id),
    effective_from date not null check (extract(day from effective_from) = 1),
    rules          jsonb not null,
    note           text check (length(note) <= 500),
    locked_at      timestamptz,
    created_by     bigint references employees(id),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    unique (unit_id, effective_from)
);
create trigger tpp_rule_versions_touch before update on tpp_rule_versions
    for each row execute function eo_touch_updated_at();

-- Imported monthly performance scores (rules with kinerja_source "imported").
create table tpp_kinerja_scores (
    employee_id bigint not null references employees(id),
    month       date not null check (extract(day from month) = 1),
    score_bp    integer not null check (score_bp between 0 and 10000), -- 95.5 % = 9550
    imported_by bigint references employees(id),
    imported_at timestamptz not null default now(),
    primary key (employee_id, month)
);

-- One result per employee per month. status closed = frozen: nothing
-- recomputes it until an admin reopens the month for a scope holding it.
create table tpp_results (
    id               bigint generated always as identity primary key,
    employee_id      bigint not null references employees(id),
    month            date not null check (extract(day from month) = 1),
    unit_id          bigint not null references org_units(id), -- the unit on the month's last day
    rule_version_id  bigint references tpp_rule_versions(id),
    status           text not null default 'open' check (status in ('open', 'closed')),
    fingerprint      char(64) not null,
    base_amount      bigint not null,
    kinerja_amount   bigint not null,
    kehadiran_amount bigint not null,
    deduction_amount bigint not null,
    total_amount     bigint not null,
    issues           text[] not null default '{}',
    breakdown        jsonb not null,
    computed_at      timestamptz not null,
    computed_by      bigint references employees(id),
    closed_at        timestamptz,
    closed_by        bigint references employees(id),
    unique (employee_id, month),
    check ((status = 'closed') = (closed_at is not null))
);
create index tpp_results_month_unit_idx on tpp_results (month, unit_id, employee_id);

-- The employee's settings in force on each day of [d_from, d_to]: unit,
-- office location (time zone), work schedule and supervisor. Until the
-- settings-confirmation change keeps a dated history, every day carries the
-- current values; that change replaces this one function and nothing else.
-- (An integer series: the planner then knows how many days there are.)
create function eo_employee_settings_between(d_from date, d_to date)
returns table (employee_id bigint, day date, unit_id bigint, office_location_id bigint,
               work_schedule_id bigint, supervisor_id bigint)
language sql stable as $$
    select e.id, d_from + i, e.unit_id, e.office_location_id, e.work_schedule_id, e.supervisor_id
      from employees e cross join generate_series(0, d_to - d_from) i
$$;
