-- Deleting a photo (the orphan sweeper, a replaced check-out photo) checks the
-- foreign keys that point at it; without these indexes each check scanned the
-- whole attendance table, so every sweep grew with photos x attendance rows.
create index attendance_check_in_photo_idx on attendance (check_in_photo_id);
create index attendance_check_out_photo_idx on attendance (check_out_photo_id);
