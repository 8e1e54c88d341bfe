-- 0053_directory_words: several-word name searches by intersection in a GIN
-- index (docs/directory.md "Match and rank").
--
-- 0015 matched a query of several words by reading, for every word, all the
-- employees holding any of its expansions from employee_words and summing per
-- employee: "nur tri prasetyo" read ~10,000 index entries to find 2 people
-- (3.7 ms mean, 16 ms worst, 100,000 employees). Each active employee's name
-- words now also sit in one array with a GIN index, where "holds an expansion
-- of every query word" is a bitmap intersection of posting lists (0.15 ms for
-- the same query); only the employees found are ranked. The one-word path
-- keeps employee_words, whose (word, employee_id) order pages without sorting.
alter table employees add column search_words text[];

-- The distinct words of a name key, for an active employee; null otherwise
-- (an inactive employee is then never found, as in employee_words).
create function eo_name_words(key text, status text) returns text[]
language sql immutable parallel safe as $$
    select case when status = 'active'
                then array(select distinct w from unnest(string_to_array(key, ' ')) w where w <> '' order by 1) end
$$;

create or replace function eo_employees_search_name() returns trigger
language plpgsql as $$
begin
    new.search_name := eo_name_search_key(new.name);
    new.search_words := eo_name_words(new.search_name, new.status);
    return new;
end $$;

drop trigger employees_search_name on employees;
create trigger employees_search_name before insert or update of name, status on employees
    for each row execute function eo_employees_search_name();

update employees set search_words = eo_name_words(search_name, status);
create index employees_search_words on employees using gin (search_words) with (fastupdate = off);

-- Same contract and ranking as 0015's; see there for the scores. Several
-- words: query word k's expansions (of its best level) form array k, an
-- employee matches when their words overlap every array (a query word with no
-- expansion has an empty array and nothing matches), rank = the sum over the
-- query words of the best score among the employee's words.
create or replace function eo_employee_search(p_q text, p_rank bigint, p_id bigint, p_limit int)
returns table (r_rank bigint, r_id bigint)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
declare
    qw constant text[] := (array(select w from unnest(string_to_array(eo_name_query_key(p_q), ' ')) w
                                  where w <> ''))[1:6];
    n constant int := coalesce(cardinality(qw), 0);
    xw text[];
    xs bigint[];
    xi int[];
    s1 text[]; s2 text[]; s3 text[]; s4 text[]; s5 text[]; s6 text[];
begin
    if n = 0 then
        return;
    end if;
    with q as (select t.w, t.i from unnest(qw) with ordinality t(w, i)),
    c as (
        select q.i, q.w, d.word from q join name_words d on d.word = q.w
        union select q.i, q.w, d.word from q join name_words d on length(q.w) >= 2 and d.word like q.w || '%'
        union select q.i, q.w, d.word from q join name_words d on d.word % q.w
        union select q.i, q.w, d.word from q join name_words d
                                             on length(q.w) >= 4 and d.word like '%' || q.w || '%'),
    x0 as (
        select c.i, c.word,
               (case when c.word = c.w then 3000
                     when c.word like c.w || '%' then 2000 + round(999.0 * length(c.w) / length(c.word))
                     else 1000 + greatest(round(999 * similarity(c.w, c.word)),
                                          case when strpos(c.word, c.w) > 0
                                               then round(500.0 * length(c.w) / length(c.word)) else 0 end)
                end)::bigint as score
          from c
         where c.word = c.w or (length(c.w) >= 2 and c.word like c.w || '%')
            or similarity(c.w, c.word) >= 0.45 or (length(c.w) >= 4 and strpos(c.word, c.w) > 0)),
    x as (
        select x0.* from x0
         where n = 1 or x0.score / 1000 = (select max(y.score) / 1000 from x0 y where y.i = x0.i))
    select array_agg(x.word), array_agg(x.score), array_agg(x.i::int) into xw, xs, xi from x;

    if n = 1 then
        -- The employees of each expansion in id order straight from the word
        -- index, each under their best expansion.
        return query
        with x as (select t.word, t.score from unnest(xw, xs) t(word, score)),
        one as (
            select x.score as rank, f.employee_id as id
              from x cross join lateral (
                  select ew.employee_id from employee_words ew
                   where ew.word = x.word
                     and (p_rank is null or x.score < p_rank or (x.score = p_rank and ew.employee_id > p_id))
                     and not exists (select 1 from employee_words h join x hx on hx.word = h.word
                                      where h.employee_id = ew.employee_id and (hx.score, hx.word) > (x.score, x.word))
                   order by ew.employee_id limit p_limit) f
             where p_rank is null or x.score <= p_rank)
        select one.rank, one.id from one join employees e on e.id = one.id
         where e.status = 'active' and (p_rank is null or one.rank < p_rank or (one.rank = p_rank and one.id > p_id))
         order by one.rank desc, one.id limit p_limit;
        return;
    end if;

    s1 := coalesce(array(select t.w from unnest(xw, xi) t(w, i) where t.i = 1), '{}');
    s2 := coalesce(array(select t.w from unnest(xw, xi) t(w, i) where t.i = 2), '{}');
    s3 := case when n >= 3 then array(select t.w from unnest(xw, xi) t(w, i) where t.i = 3) else s1 end;
    s4 := case when n >= 4 then array(select t.w from unnest(xw, xi) t(w, i) where t.i = 4) else s1 end;
    s5 := case when n >= 5 then array(select t.w from unnest(xw, xi) t(w, i) where t.i = 5) else s1 end;
    s6 := case when n >= 6 then array(select t.w from unnest(xw, xi) t(w, i) where t.i = 6) else s1 end;
    return query
    with m as (
        select e.id,
               (select sum(b.best)::bigint from (
                    select max(t.score) as best from unnest(xw, xs, xi) t(word, score, i)
                     where t.word = any (e.search_words) group by t.i) b) as rank
          from employees e
         where e.search_words && s1 and e.search_words && s2 and e.search_words && s3
           and e.search_words && s4 and e.search_words && s5 and e.search_words && s6
           and e.status = 'active')
    select m.rank, m.id from m
     where p_rank is null or m.rank < p_rank or (m.rank = p_rank and m.id > p_id)
     order by m.rank desc, m.id limit p_limit;
end $$;
