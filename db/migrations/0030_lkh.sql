-- 0030_lkh: the LKH module's own tables around lkh_reports (0010): annual
-- performance targets (SKP items), a report's activities, its one piece of
-- evidence, and the atasan's permission to file a report past the window
-- (docs/lkh.md). lkh_reports keeps its meaning for the TPP: one row per
-- employee per working day, status draft | submitted | approved | returned.

-- SKP items: a simple per-employee, per-year list of targets.
create table skp_targets (
    id              bigint generated always as identity primary key,
    employee_id     bigint not null references employees(id),
    year            smallint not null check (year between 2000 and 2100),
    title           text not null check (length(btrim(title)) between 1 and 300),
    target_quantity integer not null check (target_quantity between 1 and 1000000),
    unit            text not null check (length(btrim(unit)) between 1 and 40),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index skp_targets_employee_idx on skp_targets (employee_id, year, created_at desc, id desc);
create trigger skp_targets_touch before update on skp_targets
    for each row execute function eo_touch_updated_at();

-- The report's evidence (attachments kind 'lkh.evidence').
alter table lkh_reports add column attachment_id bigint references attachments(id);
create index lkh_reports_employee_idx on lkh_reports (employee_id, work_date desc, id desc);

-- Activities: either a time span (start_time, end_time) or a duration alone.
create table lkh_activities (
    id             bigint generated always as identity primary key,
    report_id      bigint not null references lkh_reports(id) on delete cascade,
    position       smallint not null check (position between 1 and 20),
    description    text not null check (length(btrim(description)) between 1 and 1000),
    start_time     time,
    end_time       time,
    duration_min   integer not null check (duration_min between 1 and 1440),
    output         text not null check (length(btrim(output)) between 1 and 200),
    quantity       integer not null check (quantity between 1 and 1000000),
    unit           text not null check (length(btrim(unit)) between 1 and 40),
    skp_target_id  bigint references skp_targets(id),
    unique (report_id, position),
    check ((start_time is null) = (end_time is null)),
    check (start_time is null or end_time > start_time)
);
create index lkh_activities_skp_idx on lkh_activities (skp_target_id) where skp_target_id is not null;

-- The atasan opens a day past the backfill window for one employee.
create table lkh_late_permits (
    employee_id bigint not null references employees(id),
    work_date   date not null,
    granted_by  bigint not null references employees(id),
    created_at  timestamptz not null default now(),
    primary key (employee_id, work_date)
);
