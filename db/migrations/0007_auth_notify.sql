-- 0007_auth_notify: every change that can end or narrow a session's rights
-- (session revoked or deleted, account status, employee status, role grants)
-- sends NOTIFY eo_auth '<employee id>' in the transaction that makes it, so
-- the listener is told exactly when the change commits, whichever code path
-- (svc/, the CLI, psql) made it. svc/session_cache.c drops that employee's
-- cached sessions on receipt (docs/operations.md, "Session cache").
create function eo_auth_notify_employee() returns trigger language plpgsql as $$
begin
    perform pg_notify('eo_auth', (case when tg_op = 'DELETE' then old.employee_id else new.employee_id end)::text);
    return null;
end $$;

create function eo_auth_notify_employee_row() returns trigger language plpgsql as $$
begin
    perform pg_notify('eo_auth', (case when tg_op = 'DELETE' then old.id else new.id end)::text);
    return null;
end $$;

create trigger sessions_auth_notify after update of revoked_at, expires_at, employee_id, device_id or delete
    on sessions for each row execute function eo_auth_notify_employee();
create trigger accounts_auth_notify after update of status or delete
    on accounts for each row execute function eo_auth_notify_employee();
create trigger role_grants_auth_notify after insert or update or delete
    on role_grants for each row execute function eo_auth_notify_employee();
create trigger employees_auth_notify after update of status or delete
    on employees for each row execute function eo_auth_notify_employee_row();
