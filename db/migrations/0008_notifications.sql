-- 0008_notifications: the in-app notifications every module produces (docs/notifications.md).
--
-- One row per recipient. Rows are written inside the producer's transaction,
-- so a notification exists exactly when the step that caused it committed.
-- title/body are rendered in Indonesian at write time (what the app shows);
-- kind + data let a client localise or deep-link without parsing text.
create table notifications (
    id          bigint generated always as identity primary key,
    employee_id bigint not null references employees(id),
    kind        text not null check (kind ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' and length(kind) <= 64),
    title       text not null check (length(title) between 1 and 200),
    body        text not null default '' check (length(body) <= 2000),
    target_type text check (length(target_type) <= 64),
    target_id   text check (length(target_id) <= 64),
    data        jsonb not null default '{}',
    actor_employee_id bigint references employees(id),
    created_at  timestamptz not null default now(),
    read_at     timestamptz,
    check (read_at is null or read_at >= created_at)
);
-- The list (newest first, keyset on created_at, id) and the unread count.
create index notifications_list_idx on notifications (employee_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (employee_id) where read_at is null;

-- Opt-in: a copy of each notification by e-mail to the office address (outbox).
alter table accounts add column notify_email boolean not null default false;
