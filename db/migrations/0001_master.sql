-- 0001_master: organisation, locations, schedules, holidays, employees, roles, audit.
-- Plain SQL; the migration runner wraps the file in one transaction.

-- Stamps updated_at on every UPDATE so callers cannot forget it.
create function eo_touch_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end $$;

-- ---------------------------------------------------------------------------
-- Organisation tree. path = ids of all ancestors including self, root first,
-- so "employee's unit is in the subtree of unit X" is `path @> array[X]`
-- (GIN-indexed), which is how anpeg grants are scoped.
create table org_units (
    id         bigint generated always as identity primary key,
    code       text not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name       text not null check (length(btrim(name)) between 1 and 200),
    parent_id  bigint references org_units(id),
    path       bigint[] not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (parent_id is null or parent_id <> id)
);
create index org_units_parent_idx on org_units (parent_id);
create index org_units_path_gin on org_units using gin (path);

-- Computes path from the parent and refuses a parent that is the unit itself
-- or one of its descendants (that would make a cycle).
create function eo_org_units_set_path() returns trigger
language plpgsql as $$
declare
    parent_path bigint[];
begin
    if new.parent_id is null then
        new.path := array[new.id];
        return new;
    end if;
    select path into parent_path from org_units where id = new.parent_id;
    if parent_path is null then
        raise foreign_key_violation using message = 'org_units.parent_id does not exist';
    end if;
    if new.id = any(parent_path) then
        raise check_violation using message = 'org_units cycle: a unit cannot be below itself',
            constraint = 'org_units_no_cycle';
    end if;
    new.path := parent_path || new.id;
    return new;
end $$;

create trigger org_units_set_path
    before insert or update of parent_id on org_units
    for each row execute function eo_org_units_set_path();

-- When a unit moves, its descendants' paths get the new prefix.
create function eo_org_units_cascade_path() returns trigger
language plpgsql as $$
begin
    if new.path is distinct from old.path then
        update org_units d
           set path = new.path || d.path[array_position(d.path, new.id) + 1 :]
         where d.path @> array[new.id] and d.id <> new.id;
    end if;
    return null;
end $$;

create trigger org_units_cascade_path
    after update of parent_id on org_units
    for each row execute function eo_org_units_cascade_path();

create trigger org_units_touch before update on org_units
    for each row execute function eo_touch_updated_at();

-- ---------------------------------------------------------------------------
-- Work locations: the geofence centre, its radius and the local time zone
-- (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura).
create table office_locations (
    id         bigint generated always as identity primary key,
    code       text not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name       text not null check (length(btrim(name)) between 1 and 200),
    unit_id    bigint references org_units(id),
    latitude   double precision not null check (latitude between -90 and 90),
    longitude  double precision not null check (longitude between -180 and 180),
    radius_m   integer not null check (radius_m between 10 and 50000),
    time_zone  text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index office_locations_unit_idx on office_locations (unit_id);

-- A CHECK cannot query pg_timezone_names, so a trigger validates the zone.
create function eo_office_locations_check_tz() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from pg_timezone_names where name = new.time_zone) then
        raise check_violation using message = 'unknown time zone: ' || new.time_zone,
            constraint = 'office_locations_time_zone';
    end if;
    return new;
end $$;

create trigger office_locations_check_tz
    before insert or update of time_zone on office_locations
    for each row execute function eo_office_locations_check_tz();

create trigger office_locations_touch before update on office_locations
    for each row execute function eo_touch_updated_at();

-- ---------------------------------------------------------------------------
-- Work schedules (Perpres 21/2023): one row per weekday and season.
create table work_schedules (
    id            bigint generated always as identity primary key,
    code          text not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$'),
    name          text not null,
    days_per_week smallint not null check (days_per_week in (5, 6)),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
create trigger work_schedules_touch before update on work_schedules
    for each row execute function eo_touch_updated_at();

create table work_schedule_days (
    schedule_id bigint not null references work_schedules(id) on delete cascade,
    season      text not null check (season in ('normal', 'ramadan')),
    isodow      smallint not null check (isodow between 1 and 7),
    start_time  time not null,
    end_time    time not null check (end_time > start_time),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    primary key (schedule_id, season, isodow)
);
create trigger work_schedule_days_touch before update on work_schedule_days
    for each row execute function eo_touch_updated_at();

create table ramadan_periods (
    id         bigint generated always as identity primary key,
    start_date date not null unique,
    end_date   date not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (end_date >= start_date and end_date - start_date <= 31)
);
create trigger ramadan_periods_touch before update on ramadan_periods
    for each row execute function eo_touch_updated_at();

create table public_holidays (
    id           bigint generated always as identity primary key,
    holiday_date date not null unique,
    name         text not null check (length(btrim(name)) between 1 and 200),
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create trigger public_holidays_touch before update on public_holidays
    for each row execute function eo_touch_updated_at();

-- ---------------------------------------------------------------------------
create table positions (
    id         bigint generated always as identity primary key,
    name       text not null unique check (length(btrim(name)) between 1 and 200),
    type       text not null default 'pelaksana'
               check (type in ('struktural', 'fungsional', 'pelaksana')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create trigger positions_touch before update on positions
    for each row execute function eo_touch_updated_at();

-- Employees (ASN master data). NIP is the login name. The full NIP/NIK rules
-- (dates, gender digit, sequence) live in core/nip.c and are applied at
-- import; the table keeps the structural ones.
create table employees (
    id                 bigint generated always as identity primary key,
    nip                char(18) not null unique check (nip ~ '^[0-9]{18}$'),
    nik                char(16) not null check (nik ~ '^[0-9]{16}$'),
    name               text not null check (length(btrim(name)) between 1 and 200),
    gender             char(1) not null check (gender in ('L', 'P')),
    birth_date         date not null check (birth_date >= date '1940-01-01'),
    employee_type      text not null check (employee_type in ('PNS', 'PPPK')),
    rank               text check (
                           (employee_type = 'PNS' and rank ~ '^(I|II|III|IV)/[a-e]$')
                        or (employee_type = 'PPPK' and rank ~ '^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII)$')),
    position_id        bigint references positions(id),
    unit_id            bigint not null references org_units(id),
    office_location_id bigint references office_locations(id),
    work_schedule_id   bigint references work_schedules(id),
    supervisor_id      bigint references employees(id) check (supervisor_id <> id),
    office_email       text check (office_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(office_email) <= 254),
    status             text not null default 'active' check (status in ('active', 'inactive')),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    -- NIP digits 1-8 are the birth date.
    check (substr(nip, 1, 8) = to_char(birth_date, 'YYYYMMDD'))
);
create index employees_unit_idx on employees (unit_id);
create index employees_supervisor_idx on employees (supervisor_id);
create index employees_location_idx on employees (office_location_id);
create index employees_lower_name_idx on employees (lower(name) text_pattern_ops);

-- Supervisor chains are walked upwards (atasan of atasan); a cycle would make
-- that walk endless, so refuse one. Depth is bounded as a safety net.
create function eo_employees_check_supervisor() returns trigger
language plpgsql as $$
begin
    if new.supervisor_id is null then
        return new;
    end if;
    if exists (
        with recursive up(id, depth) as (
            select e.supervisor_id, 1 from employees e where e.id = new.supervisor_id
            union all
            select e.supervisor_id, up.depth + 1
              from employees e join up on e.id = up.id
             where up.depth < 100
        )
        select 1 from up where id = new.id
    ) then
        raise check_violation using message = 'employees supervisor cycle',
            constraint = 'employees_supervisor_cycle';
    end if;
    return new;
end $$;

create trigger employees_check_supervisor
    before insert or update of supervisor_id on employees
    for each row execute function eo_employees_check_supervisor();

create trigger employees_touch before update on employees
    for each row execute function eo_touch_updated_at();

-- ---------------------------------------------------------------------------
-- Granted roles. atasan is derived from employees.supervisor_id, never granted.
-- A revoked grant stays for the audit trail.
create table role_grants (
    id          bigint generated always as identity primary key,
    employee_id bigint not null references employees(id),
    role        text not null check (role in ('admin', 'anpeg', 'humas')),
    unit_id     bigint references org_units(id),
    granted_by  bigint references employees(id),
    granted_at  timestamptz not null default now(),
    revoked_at  timestamptz,
    revoked_by  bigint references employees(id),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    -- anpeg is scoped to a unit subtree; other roles are global.
    check ((role = 'anpeg') = (unit_id is not null)),
    check (revoked_at is null or revoked_at >= granted_at)
);
create unique index role_grants_active_uniq
    on role_grants (employee_id, role, coalesce(unit_id, 0)) where revoked_at is null;
create index role_grants_employee_idx on role_grants (employee_id) where revoked_at is null;
create trigger role_grants_touch before update on role_grants
    for each row execute function eo_touch_updated_at();

-- ---------------------------------------------------------------------------
-- Append-only audit trail (who did what, from where, in which request).
create table audit_log (
    id                bigint generated always as identity primary key,
    at                timestamptz not null default now(),
    actor_employee_id bigint references employees(id),
    action            text not null check (length(action) between 1 and 64),
    target_type       text,
    target_id         text,
    ip                text,
    user_agent        text,
    request_id        text,
    details           jsonb not null default '{}'
);
create index audit_log_at_idx on audit_log (at);
create index audit_log_actor_at_idx on audit_log (actor_employee_id, at);
