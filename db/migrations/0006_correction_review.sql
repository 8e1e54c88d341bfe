-- 0006_correction_review: corrections use the whole review machinery
-- (core/review.h). Stored words keep their meaning: 'pending' = submitted.
-- New: 'returned' (the atasan sends it back for rework, with a note; the
-- author resubmits it, possibly with changed times or reason) and 'draft'
-- (the author withdrew it before a decision; it may be submitted again).
-- Only 'pending' rows hold the one-per-day slot (attendance_corrections_one_pending).
alter table attendance_corrections drop constraint attendance_corrections_status_check;
alter table attendance_corrections add constraint attendance_corrections_status_check
    check (status in ('draft', 'pending', 'returned', 'approved', 'rejected'));
comment on column attendance_corrections.status is
    'review state: draft (withdrawn), pending (= submitted), returned, approved, rejected';
comment on column attendance_corrections.decision_note is
    'the reviewer''s note on the last return, approval or rejection';
