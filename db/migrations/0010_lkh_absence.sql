-- 0010_lkh_absence: the daily performance report (LKH) and absence requests,
-- the two records the monthly TPP reads besides presensi (docs/lkh.md,
-- docs/tpp.md). Both follow the shared review cycle (core/review.h).

-- One report per employee per working day; its activities and evidence live
-- in the LKH module's own tables.
create table lkh_reports (
    id           bigint generated always as identity primary key,
    employee_id  bigint not null references employees(id),
    work_date    date not null,
    status       text not null default 'draft'
                 check (status in ('draft', 'submitted', 'approved', 'returned')),
    reviewer_id  bigint references employees(id),   -- the atasan who decided (or will)
    review_note  text check (length(review_note) <= 1000),
    submitted_at timestamptz,
    decided_at   timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (employee_id, work_date)
);
create index lkh_reports_reviewer_idx on lkh_reports (reviewer_id, status, work_date desc, id desc);
create trigger lkh_reports_touch before update on lkh_reports
    for each row execute function eo_touch_updated_at();

-- Days away for a reason: not counted absent once approved.
create table absence_requests (
    id          bigint generated always as identity primary key,
    employee_id bigint not null references employees(id),
    kind        text not null check (kind in ('cuti', 'sakit', 'dinas_luar', 'perjalanan_dinas', 'tugas_belajar')),
    -- cuti by type (PP 11/2017): tahunan, besar, sakit, melahirkan, alasan_penting, bersama, cltn
    cuti_type   text check (cuti_type in ('tahunan', 'besar', 'sakit', 'melahirkan', 'alasan_penting', 'bersama', 'cltn')),
    date_from   date not null,
    date_to     date not null,
    reason      text not null check (length(btrim(reason)) between 1 and 1000),
    status      text not null default 'draft'
                check (status in ('draft', 'submitted', 'approved', 'returned', 'rejected')),
    reviewer_id bigint references employees(id),
    review_note text check (length(review_note) <= 1000),
    attachment_id bigint references attachments(id),
    submitted_at timestamptz,
    decided_at  timestamptz,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    check (date_to >= date_from),
    check ((kind = 'cuti') = (cuti_type is not null))
);
create index absence_requests_employee_idx on absence_requests (employee_id, date_from);
create index absence_requests_reviewer_idx on absence_requests (reviewer_id, status);
create trigger absence_requests_touch before update on absence_requests
    for each row execute function eo_touch_updated_at();
