-- 0011_profile: the employee's HR record (profile sections) and PDM change
-- proposals (Pemutakhiran Data Mandiri), docs/profile.md.
--
-- One table of records for every section: `data` is a JSON object whose shape
-- is checked per section by core/profile.c before anything is written (the
-- database keeps the structural rules). A record is never deleted: an approved
-- delete stamps deleted_at. `version` grows with every applied change, so an
-- approval can tell that the record moved since the proposal (409 stale).
create table profile_records (
    id            bigint generated always as identity primary key,
    employee_id   bigint not null references employees(id),
    section       text not null check (section in ('identity', 'family', 'rank', 'position', 'education',
                                                   'team', 'award', 'competency', 'assignment')),
    data          jsonb not null check (jsonb_typeof(data) = 'object' and length(data::text) <= 16384),
    attachment_id bigint references attachments(id),
    version       integer not null default 1 check (version >= 1),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    deleted_at    timestamptz
);
create index profile_records_employee_idx on profile_records (employee_id, section, id) where deleted_at is null;
-- identity extras are a single-record section.
create unique index profile_records_identity_uniq on profile_records (employee_id)
    where section = 'identity' and deleted_at is null;
create trigger profile_records_touch before update on profile_records
    for each row execute function eo_touch_updated_at();

-- A proposal: add (record_id null until approved), edit or delete a record.
-- pending -> approved | rejected (by an anpeg of the employee's unit) | withdrawn (by the employee).
create table pdm_changes (
    id            bigint generated always as identity primary key,
    employee_id   bigint not null references employees(id),
    section       text not null check (section in ('identity', 'family', 'rank', 'position', 'education',
                                                   'team', 'award', 'competency', 'assignment')),
    op            text not null check (op in ('add', 'edit', 'delete')),
    record_id     bigint references profile_records(id),
    base_version  integer,
    data          jsonb check (data is null or (jsonb_typeof(data) = 'object' and length(data::text) <= 16384)),
    attachment_id bigint references attachments(id),
    note          text check (length(note) <= 1000),
    status        text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'withdrawn')),
    submitted_at  timestamptz not null default now(),
    decided_by    bigint references employees(id),
    decided_at    timestamptz,
    reason        text check (length(reason) <= 1000),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    check ((op = 'add') = (base_version is null)),
    check (op = 'add' or record_id is not null),
    check ((op = 'delete') = (data is null)),
    check (status <> 'rejected' or reason is not null),
    check ((status in ('approved', 'rejected')) = (decided_by is not null and decided_at is not null)),
    check (decided_by is null or decided_by <> employee_id)
);
-- One pending proposal per record; one pending identity "add" per employee.
create unique index pdm_changes_pending_record_uniq on pdm_changes (record_id)
    where status = 'pending' and record_id is not null;
create unique index pdm_changes_pending_identity_uniq on pdm_changes (employee_id)
    where status = 'pending' and section = 'identity' and op = 'add';
create index pdm_changes_employee_idx on pdm_changes (employee_id, created_at desc, id desc);
create index pdm_changes_queue_idx on pdm_changes (status, created_at desc, id desc);
create trigger pdm_changes_touch before update on pdm_changes
    for each row execute function eo_touch_updated_at();
