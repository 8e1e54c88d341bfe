-- 0040_absence: absence requests (docs/absence.md) on the shared table of 0010.
--
-- Live requests of one employee never overlap: draft, submitted, returned and
-- approved hold their days; a rejected request frees them (a withdrawn one is
-- a draft again and still holds them until deleted).
create extension if not exists btree_gist;

alter table absence_requests add constraint absence_requests_no_overlap
    exclude using gist (employee_id with =, daterange(date_from, date_to, '[]') with &&)
    where (status <> 'rejected');

-- Who decided (the atasan at the time), beside reviewer_id (who is asked).
alter table absence_requests add column decided_by bigint references employees(id);

-- Duty travel (dinas luar, perjalanan dinas) may name the employee's extra
-- check-in locations (presensi's extra_locations) where they will be.
create table absence_request_locations (
    absence_request_id bigint not null references absence_requests(id) on delete cascade,
    extra_location_id  bigint not null references extra_locations(id) on delete cascade,
    primary key (absence_request_id, extra_location_id)
);

-- The atasan's queue (submitted first, newest first) and the employee's own list.
create index absence_requests_queue_idx on absence_requests (reviewer_id, created_at desc, id desc);
create index absence_requests_own_idx on absence_requests (employee_id, created_at desc, id desc);
