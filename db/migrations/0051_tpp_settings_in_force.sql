-- 0051_tpp_settings_in_force: the TPP reads each day's office location, work
-- schedule and atasan from the settings history (0041: values change only
-- when a confirmer confirms, and every applied change is recorded), instead of
-- the current values 0035 used until that history existed. The unit is still
-- the current one (unit transfers come from the master data import, which has
-- no effective date yet). An employee without any history row keeps the
-- current values. Day boundaries are those of WIB, like the month lifecycle.
create or replace function eo_employee_settings_between(d_from date, d_to date)
returns table (employee_id bigint, day date, unit_id bigint, office_location_id bigint,
               work_schedule_id bigint, supervisor_id bigint)
language sql stable as $$
    select e.id, d_from + i, e.unit_id,
           case when r.employee_id is null then e.office_location_id else r.office_location_id end,
           case when r.employee_id is null then e.work_schedule_id else r.work_schedule_id end,
           case when r.employee_id is null then e.supervisor_id else r.supervisor_id end
      from employees e cross join generate_series(0, d_to - d_from) i
      left join eo_settings_in_force_range(d_from, d_to, 'Asia/Jakarta') r
             on r.employee_id = e.id and r.day = d_from + i
$$;
