-- 0005_attachments: the selfie table becomes the shared attachments table
-- (presensi photos now; PDM documents, LKH evidence and assessment reports next).
--
-- Protocol (svc/attachments.h): the object is written to storage FIRST, then
-- its row is inserted already 'referenced', in the same transaction as the
-- record that uses it: one commit, no pending row. An object whose transaction
-- never committed has no row; the sweeper finds it by listing the store and
-- deletes it once older than the grace period. A row whose record let go of it
-- (a replaced check-out photo) is marked 'pending' (= released) and swept with
-- its object after the same grace period. Rows written before this migration
-- keep their meaning: 'pending' ones are swept exactly as before.
alter table photos rename to attachments;
alter index photos_storage_key_idx rename to attachments_storage_key_idx;
alter index photos_pending_idx rename to attachments_released_idx;
alter index photos_employee_sha_idx rename to attachments_employee_sha_idx;

-- Which module's record owns it: "<module>.<what>", e.g. presensi.photo.
alter table attachments add column kind text not null default 'presensi.photo'
    check (kind ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$');
alter table attachments alter column kind drop default;

alter table attachments drop constraint photos_storage_key_check;
alter table attachments add constraint attachments_storage_key_check
    check (storage_key ~ '^[0-9a-f]{64}\.(jpg|png|pdf|docx)$');
alter table attachments drop constraint photos_content_type_check;
alter table attachments add constraint attachments_content_type_check
    check (content_type in ('image/jpeg', 'image/png', 'application/pdf',
                            'application/vnd.openxmlformats-officedocument.wordprocessingml.document'));
comment on column attachments.employee_id is 'the employee the attachment belongs to (its owner)';
comment on column attachments.status is 'referenced, or pending = released by its record, swept after the grace period';

-- The presensi photos as before, for reports and tools that read "photos";
-- a simple view, so it also takes inserts, updates and deletes.
create view photos as
    select id, employee_id, storage_key, sha256, content_type, size_bytes, status, pending_since, created_at, kind
      from attachments where kind = 'presensi.photo';
alter view photos alter column kind set default 'presensi.photo';

-- What the sweeper deleted, and when (clock_timestamp() after the delete, under
-- the key's advisory lock). Objects are content-addressed, so a client can
-- upload bytes identical to an object the sweeper is deleting at that moment;
-- the insert of its row then sees this tombstone (newer than a database time
-- taken before its upload), fails, and the client retries: a row never points
-- at a deleted object. Pruned after an hour.
create table attachment_sweeps (
    storage_key text primary key,
    swept_at    timestamptz not null
);
