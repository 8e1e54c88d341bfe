-- 0041_settings_confirm: office location, atasan and work schedule carry money
-- (TPP), so a self-service change waits for confirmation (docs/settings.md),
-- and every value ever in force is kept with the instant it took effect.

-- Values in force, one row per applied change (any writer: the confirmation,
-- an anpeg's or admin's direct set, the CSV import, the demo seed), written by
-- the trigger below so no path can forget it.
create table employee_settings_history (
    id                 bigint generated always as identity primary key,
    employee_id        bigint not null references employees(id),
    office_location_id bigint references office_locations(id),
    supervisor_id      bigint references employees(id),
    work_schedule_id   bigint references work_schedules(id),
    effective_from     timestamptz not null,
    source             text not null check (length(source) between 1 and 64),
    change_id          bigint,            -- settings_changes.id when a confirmation applied it
    actor_employee_id  bigint references employees(id)
);
create index employee_settings_history_idx on employee_settings_history (employee_id, effective_from desc, id desc);

-- The writer may name itself for the row: set_config('eoffice.settings_source',
-- 'confirmed' | 'direct' | ..., true), 'eoffice.settings_change', 'eoffice.settings_actor'.
create function eo_settings_record() returns trigger language plpgsql as $$
begin
    insert into employee_settings_history (employee_id, office_location_id, supervisor_id, work_schedule_id,
                                           effective_from, source, change_id, actor_employee_id)
    values (new.id, new.office_location_id, new.supervisor_id, new.work_schedule_id, clock_timestamp(),
            coalesce(nullif(current_setting('eoffice.settings_source', true), ''), lower(tg_op)),
            nullif(current_setting('eoffice.settings_change', true), '')::bigint,
            nullif(current_setting('eoffice.settings_actor', true), '')::bigint);
    return null;
end $$;
create trigger employees_settings_insert after insert on employees
    for each row execute function eo_settings_record();
create trigger employees_settings_update after update of office_location_id, supervisor_id, work_schedule_id
    on employees for each row
    when (old.office_location_id is distinct from new.office_location_id
          or old.supervisor_id is distinct from new.supervisor_id
          or old.work_schedule_id is distinct from new.work_schedule_id)
    execute function eo_settings_record();

-- What existed before this migration counts as in force since ever.
insert into employee_settings_history (employee_id, office_location_id, supervisor_id, work_schedule_id,
                                       effective_from, source)
select id, office_location_id, supervisor_id, work_schedule_id, '-infinity', 'initial' from employees;

-- The values in force for employee p_employee on calendar day p_day (in time
-- zone p_tz): those of the last change applied before that day ended; for a
-- day before the first known change, the values the first known day ended
-- with. No row: the employee is unknown.
create function eo_settings_in_force(p_employee bigint, p_day date, p_tz text default 'Asia/Jakarta')
returns table (office_location_id bigint, supervisor_id bigint, work_schedule_id bigint,
               effective_from timestamptz)
language sql stable as $$
    select h.office_location_id, h.supervisor_id, h.work_schedule_id, h.effective_from
      from employee_settings_history h
     where h.employee_id = p_employee
     order by (h.effective_from < ((p_day + 1)::timestamp at time zone p_tz)) desc,
              case when h.effective_from < ((p_day + 1)::timestamp at time zone p_tz)
                   then h.effective_from end desc nulls last,
              (h.effective_from at time zone p_tz)::date asc,   -- else the first known day,
              h.effective_from desc, h.id desc                  -- as that day ended
     limit 1
$$;

-- The same for every day of [p_from, p_to] in one set-based pass (what a
-- monthly computation over many employees wants): one row per employee with
-- history and per day, with the values eo_settings_in_force would answer for
-- that (employee, day). p_employee: one employee, or null for all.
create function eo_settings_in_force_range(p_from date, p_to date, p_tz text default 'Asia/Jakarta',
                                           p_employee bigint default null)
returns table (employee_id bigint, day date, office_location_id bigint, supervisor_id bigint,
               work_schedule_id bigint)
language sql stable as $$
    with h as (
        -- the first local day whose end sees the row (a change counts for the day it was made)
        select h.employee_id, h.office_location_id, h.supervisor_id, h.work_schedule_id, h.effective_from, h.id,
               case when h.effective_from = '-infinity' then '-infinity'::date
                    else (h.effective_from at time zone p_tz)::date end as first_day
          from employee_settings_history h
         where p_employee is null or h.employee_id = p_employee),
    last_of_day as (   -- the last row of each (employee, first day)
        select distinct on (employee_id, first_day) *
          from h order by employee_id, first_day, effective_from desc, id desc),
    spans as (
        select l.*, lead(l.first_day) over w as next_day, row_number() over w as k
          from last_of_day l window w as (partition by l.employee_id order by l.first_day)),
    bounded as (       -- the first span also covers the days before it (the first known values)
        select s.*, greatest(case when s.k = 1 then p_from else s.first_day end, p_from) as d_from,
               least(coalesce(s.next_day - 1, p_to), p_to) as d_to
          from spans s)
    select b.employee_id, b.d_from + i, b.office_location_id, b.supervisor_id, b.work_schedule_id
      from bounded b cross join lateral generate_series(0, b.d_to - b.d_from) i
     where b.d_to >= b.d_from
$$;

-- A change the employee asked for, waiting for its confirmer. kind
-- 'supervisor': a new atasan link (confirmer: that atasan, or an anpeg of the
-- employee's unit, or an admin); 'placement': office location, work schedule
-- or clearing the atasan (confirmer: the atasan in force, or an anpeg, or an
-- admin). At most one pending change of each kind per employee.
create table settings_changes (
    id                 bigint generated always as identity primary key,
    employee_id        bigint not null references employees(id),
    kind               text not null check (kind in ('supervisor', 'placement')),
    set_location       boolean not null default false,
    office_location_id bigint references office_locations(id),
    set_supervisor     boolean not null default false,
    supervisor_id      bigint references employees(id),
    set_schedule       boolean not null default false,
    work_schedule_id   bigint references work_schedules(id),
    status             text not null default 'pending'
                       check (status in ('pending', 'confirmed', 'refused', 'withdrawn', 'superseded')),
    decided_by         bigint references employees(id),
    note               text check (length(note) <= 1000),
    created_at         timestamptz not null default now(),
    decided_at         timestamptz,
    check (set_location or set_supervisor or set_schedule),
    check (kind <> 'supervisor' or (set_supervisor and supervisor_id is not null and not set_location
                                    and not set_schedule)),
    check (kind <> 'placement' or not set_supervisor or supervisor_id is null),
    check (not set_schedule or work_schedule_id is not null)
);
create unique index settings_changes_one_pending on settings_changes (employee_id, kind) where status = 'pending';
create index settings_changes_pending_idx on settings_changes (created_at desc, id desc) where status = 'pending';
create index settings_changes_supervisor_idx on settings_changes (supervisor_id) where status = 'pending';
