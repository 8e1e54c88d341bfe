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

-- The same for a batch of employees (what the month's computation reads, a
-- few hundred employees at a time): the spans of eo_settings_in_force_range
-- (0041), computed for those employees only, through the history's
-- (employee_id, effective_from) index, in one pass.
create function eo_employee_settings_between(d_from date, d_to date, p_employees bigint[])
returns table (employee_id bigint, day date, unit_id bigint, office_location_id bigint,
               work_schedule_id bigint, supervisor_id bigint)
language sql stable as $$
    with h as (
        select h.employee_id, h.office_location_id, h.supervisor_id, h.work_schedule_id, h.effective_from, h.id,
               case when h.effective_from = '-infinity' then '-infinity'::date
                    else (h.effective_from at time zone 'Asia/Jakarta')::date end as first_day
          from employee_settings_history h
         where h.employee_id = any(p_employees)),
    last_of_day as (
        select distinct on (employee_id, first_day) *
          from h order by employee_id, first_day, effective_from desc, id desc),
    spans as (
        select l.*, lead(l.first_day) over w as next_day, row_number() over w as k
          from last_of_day l window w as (partition by l.employee_id order by l.first_day)),
    bounded as (
        select s.*, greatest(case when s.k = 1 then d_from else s.first_day end, d_from) as s_from,
               least(coalesce(s.next_day - 1, d_to), d_to) as s_to
          from spans s)
    select e.id, d_from + i, e.unit_id,
           case when b.employee_id is null then e.office_location_id else b.office_location_id end,
           case when b.employee_id is null then e.work_schedule_id else b.work_schedule_id end,
           case when b.employee_id is null then e.supervisor_id else b.supervisor_id end
      from employees e cross join generate_series(0, d_to - d_from) i
      left join bounded b on b.employee_id = e.id and d_from + i between b.s_from and b.s_to
     where e.id = any(p_employees)
$$;
