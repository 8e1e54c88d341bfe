-- 0003_presensi: attendance (presensi), selfie photos, idempotency keys,
-- duty-travel extra locations and supervisor-approved corrections.

-- Selfies. A row is written as 'pending' BEFORE the object is stored and
-- becomes 'referenced' in the same transaction as the attendance row that uses
-- it; the sweeper deletes pending rows older than a grace period together with
-- their objects (unless another row still uses the same content-addressed key).
-- So there is never an attendance record without its photo, and never an
-- unreferenced object that nobody cleans up.
create table photos (
    id            bigint generated always as identity primary key,
    employee_id   bigint not null references employees(id),
    storage_key   text not null check (storage_key ~ '^[0-9a-f]{64}\.(jpg|png)$'),
    sha256        char(64) not null,
    content_type  text not null check (content_type in ('image/jpeg', 'image/png')),
    size_bytes    integer not null check (size_bytes > 0),
    status        text not null default 'pending' check (status in ('pending', 'referenced')),
    pending_since timestamptz default now(),
    created_at    timestamptz not null default now(),
    check ((status = 'pending') = (pending_since is not null))
);
create index photos_storage_key_idx on photos (storage_key);
create index photos_pending_idx on photos (pending_since) where status = 'pending';
create index photos_employee_sha_idx on photos (employee_id, sha256);

-- Dated extra places where an employee may check in (dinas luar / duty travel).
create table extra_locations (
    id                 bigint generated always as identity primary key,
    employee_id        bigint not null references employees(id),
    office_location_id bigint references office_locations(id),
    name               text not null check (length(btrim(name)) between 1 and 200),
    latitude           double precision not null check (latitude between -90 and 90),
    longitude          double precision not null check (longitude between -180 and 180),
    radius_m           integer not null check (radius_m between 10 and 50000),
    time_zone          text not null,
    valid_from         date not null,
    valid_to           date not null,
    reason             text not null check (length(btrim(reason)) between 1 and 500),
    created_by         bigint not null references employees(id),
    created_at         timestamptz not null default now(),
    revoked_at         timestamptz,
    revoked_by         bigint references employees(id),
    check (valid_to >= valid_from and valid_to - valid_from <= 366)
);
create index extra_locations_active_idx on extra_locations (employee_id, valid_from, valid_to)
    where revoked_at is null;
create trigger extra_locations_check_tz
    before insert or update of time_zone on extra_locations
    for each row execute function eo_office_locations_check_tz();

-- One row per employee per work day (the day in time_zone, fixed when the row
-- is created). The UNIQUE constraint is what makes check-in exactly-once.
create table attendance (
    id                   bigint generated always as identity primary key,
    employee_id          bigint not null references employees(id),
    work_date            date not null,
    time_zone            text not null,
    source               text not null default 'mobile' check (source in ('mobile', 'web', 'correction')),
    check_in_at          timestamptz,
    check_in_photo_id    bigint references photos(id),
    check_in_lat         double precision,
    check_in_lon         double precision,
    check_in_accuracy_m  real,
    check_in_mock        boolean,
    check_in_distance_m  real,
    check_in_location    text,
    check_in_device_time timestamptz,
    check_in_device_id   text,
    check_in_flags       text[] not null default '{}',
    check_out_at          timestamptz,
    check_out_photo_id    bigint references photos(id),
    check_out_lat         double precision,
    check_out_lon         double precision,
    check_out_accuracy_m  real,
    check_out_mock        boolean,
    check_out_distance_m  real,
    check_out_location    text,
    check_out_device_time timestamptz,
    check_out_device_id   text,
    check_out_flags       text[] not null default '{}',
    check_out_count       integer not null default 0,
    corrected_by          bigint references employees(id),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    constraint attendance_one_per_day unique (employee_id, work_date),
    check (check_out_at is null or check_in_at is null or check_out_at >= check_in_at)
);
create index attendance_work_date_idx on attendance (work_date);
create trigger attendance_touch before update on attendance
    for each row execute function eo_touch_updated_at();

-- Replayable answers of creating POSTs (Idempotency-Key). Generic: any module
-- may use it with its own scope. Kept at least 24 h (the sweeper drops rows
-- older than 48 h).
create table idempotency_keys (
    id           bigint generated always as identity primary key,
    employee_id  bigint not null references employees(id),
    key          text not null check (length(key) between 1 and 255),
    scope        text not null,
    request_hash char(64) not null,
    status       integer,
    body         text,
    created_at   timestamptz not null default now(),
    unique (employee_id, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- Requests to fix a day (forgot to check out, app failure, ...), decided by the atasan.
create table attendance_corrections (
    id                 bigint generated always as identity primary key,
    employee_id        bigint not null references employees(id),
    work_date          date not null,
    kind               text not null check (kind in ('forgot_check_out', 'forgot_check_in', 'app_failure', 'other')),
    requested_check_in  time,
    requested_check_out time,
    reason             text not null check (length(btrim(reason)) between 1 and 1000),
    status             text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
    decided_by         bigint references employees(id),
    decided_at         timestamptz,
    decision_note      text check (decision_note is null or length(decision_note) <= 1000),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    check (requested_check_in is not null or requested_check_out is not null),
    check (requested_check_in is null or requested_check_out is null or requested_check_out > requested_check_in)
);
create unique index attendance_corrections_one_pending
    on attendance_corrections (employee_id, work_date) where status = 'pending';
create index attendance_corrections_employee_idx on attendance_corrections (employee_id, created_at desc);
create trigger attendance_corrections_touch before update on attendance_corrections
    for each row execute function eo_touch_updated_at();
