-- 0050_profile_notify: the signed-in employee's own profile (GET /api/v1/me)
-- is served from an in-process cache (svc/session_cache.c); every change that
-- alters what it shows sends NOTIFY eo_profile in the transaction that makes
-- it: '<employee id>' for one employee, '*' when a shared row (unit, position,
-- office, schedule, a supervisor's name) may appear in many profiles. Role
-- grants and account status already send eo_auth, which drops the profile too.
create function eo_profile_notify_employee() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and (new.nip is distinct from old.nip or new.name is distinct from old.name) then
        -- shown as the atasan of everyone this employee supervises
        perform pg_notify('eo_profile', '*');
        return null;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        perform pg_notify('eo_profile', old.id::text);
        if old.supervisor_id is not null then
            perform pg_notify('eo_profile', old.supervisor_id::text); -- the "atasan" role follows subordinates
        end if;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform pg_notify('eo_profile', new.id::text);
        if new.supervisor_id is not null then
            perform pg_notify('eo_profile', new.supervisor_id::text);
        end if;
    end if;
    return null;
end $$;

create function eo_profile_notify_account() returns trigger language plpgsql as $$
begin
    perform pg_notify('eo_profile', (case when tg_op = 'DELETE' then old.employee_id else new.employee_id end)::text);
    return null;
end $$;

create function eo_profile_notify_all() returns trigger language plpgsql as $$
begin
    perform pg_notify('eo_profile', '*');
    return null;
end $$;

create trigger employees_profile_notify after insert or update or delete
    on employees for each row execute function eo_profile_notify_employee();
create trigger accounts_profile_notify after update of personal_email, phone or delete
    on accounts for each row execute function eo_profile_notify_account();
create trigger org_units_profile_notify after update or delete
    on org_units for each statement execute function eo_profile_notify_all();
create trigger positions_profile_notify after update or delete
    on positions for each statement execute function eo_profile_notify_all();
create trigger office_locations_profile_notify after update or delete
    on office_locations for each statement execute function eo_profile_notify_all();
create trigger work_schedules_profile_notify after update or delete
    on work_schedules for each statement execute function eo_profile_notify_all();
