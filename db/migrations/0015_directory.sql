-- 0015_directory: employee search, skills and "about me", colleague recommendations (docs/directory.md).
--
-- pg_trgm and unaccent ship with Debian's postgresql-15 package and are
-- "trusted" extensions (PostgreSQL >= 13): a role with CREATE on the database
-- may create them, no superuser needed.
create extension if not exists pg_trgm;
create extension if not exists unaccent;

-- The search key of a name: lower case, without accents, without academic and
-- religious titles (gelar), punctuation as spaces. Indonesian names put the
-- titles after the first comma ("Iskandar Syahputra, M.Pd.") or before the
-- name as known words ("Drs. H.", "Prof. Dr. Ir."); a degree written without
-- the comma still has its inner dot ("S.Pd", "Ph.D."), which no name has. A
-- single letter with a dot ("M. Rizki") is an initial and stays unless it is
-- a religious title (H., K.H.). When nothing is left the name is kept whole.
-- IMMUTABLE is honest here: the unaccent dictionary is fixed at install time.
create function eo_name_search_key(name text) returns text
language plpgsql immutable parallel safe as $$
declare
    front constant text[] := array['prof', 'dr', 'drs', 'dra', 'ir', 'h', 'hj', 'kh', 'drg', 'ns', 'apt', 'ust',
                                   'ustadz', 'hc', 'rd', 'raden', 'tgk', 'teuku', 'habib', 'bpk', 'ibu'];
    plain text := lower(public.unaccent('public.unaccent'::regdictionary, coalesce(name, '')));
    w text;
    kept text[] := '{}';
    whole text;
begin
    whole := btrim(regexp_replace(regexp_replace(plain, '[^[:alnum:]]+', ' ', 'g'), '\s+', ' ', 'g'));
    foreach w in array regexp_split_to_array(btrim(split_part(plain, ',', 1)), '\s+') loop
        continue when w = '';
        continue when w ~ '^[[:alpha:]]+\.[[:alpha:].]+$';                        -- s.pd, m.pd., ph.d.
        continue when w ~ '\.$' and rtrim(w, '.') = any (front);                  -- drs., h., prof.
        continue when w !~ '\.' and w = any (array['prof', 'drs', 'dra', 'hj', 'drg']);
        kept := kept || btrim(regexp_replace(w, '[^[:alnum:]]+', ' ', 'g'));
    end loop;
    w := btrim(regexp_replace(array_to_string(kept, ' '), '\s+', ' ', 'g'));
    return case when w = '' then whole else w end;
end $$;

-- What a query is compared with: the same key, a comma being only a separator.
create function eo_name_query_key(q text) returns text
language sql immutable parallel safe as $$ select eo_name_search_key(replace(q, ',', ' ')) $$;

alter table employees add column search_name text;

create function eo_employees_search_name() returns trigger
language plpgsql as $$
begin
    new.search_name := eo_name_search_key(new.name);
    return new;
end $$;

create trigger employees_search_name before insert or update of name on employees
    for each row execute function eo_employees_search_name();

update employees set search_name = eo_name_search_key(name);
alter table employees alter column search_name set not null;

-- The search index, by hand: one row per (word of the name key, active
-- employee), so that "employees with this word, by id" is an index-only range
-- scan; and the dictionary of every word seen, small, where the fuzzy work
-- (trigrams: typos, a word inside a word) and prefix matching happen. Common
-- words ("siti", "putra") then cost an index range, not a similarity
-- computation per employee. Words of inactive employees are not indexed.
create table name_words (
    word text primary key
);
create index name_words_trgm on name_words using gin (word gin_trgm_ops);
create index name_words_prefix on name_words (word text_pattern_ops);

create table employee_words (
    word        text not null,
    employee_id bigint not null references employees(id) on delete cascade,
    primary key (word, employee_id)
);
create index employee_words_employee_idx on employee_words (employee_id);

create function eo_employees_words() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if new.search_name is not distinct from old.search_name and new.status is not distinct from old.status then
            return null;
        end if;
        delete from employee_words where employee_id = new.id;
    end if;
    if new.status = 'active' then
        insert into name_words (word)
            select distinct w from unnest(string_to_array(new.search_name, ' ')) w where w <> ''
            on conflict do nothing;
        insert into employee_words (word, employee_id)
            select distinct w, new.id from unnest(string_to_array(new.search_name, ' ')) w where w <> ''
            on conflict do nothing;
    end if;
    return null;
end $$;

create trigger employees_words after insert or update of name, status on employees
    for each row execute function eo_employees_words();

insert into name_words (word)
    select distinct w from employees, unnest(string_to_array(search_name, ' ')) w
     where status = 'active' and w <> '' on conflict do nothing;
insert into employee_words (word, employee_id)
    select distinct w, id from employees, unnest(string_to_array(search_name, ' ')) w
     where status = 'active' and w <> '' on conflict do nothing;

-- The name search (docs/directory.md "Match and rank"), as a function so that
-- its plan is generic and cached: planned per call it cost more than it ran.
-- Each query word (at most 6) expands to dictionary words with a score (same
-- word 3000, a word it begins 2000 + closeness, a close spelling or a word
-- holding it 1000 + closeness); an employee matches when every query word has
-- an expansion among their words; rank = the sum of the best scores. One word:
-- the employees of each expansion in id order straight from the word index,
-- each under their best expansion. Several words: each keeps its expansions of
-- the best level found, summed per employee. Position: (p_rank, p_id).
create function eo_employee_search(p_q text, p_rank bigint, p_id bigint, p_limit int)
returns table (r_rank bigint, r_id bigint)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
    return query
    with q as (
        select t.w, t.i from unnest(string_to_array(eo_name_query_key(p_q), ' ')) with ordinality t(w, i)
         where t.w <> '' and t.i <= 6),
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
         where (select count(*) from q) = 1
            or x0.score / 1000 = (select max(y.score) / 1000 from x0 y where y.i = x0.i)),
    one as (
        select x.score as rank, f.employee_id as id
          from x cross join lateral (
              select ew.employee_id from employee_words ew
               where ew.word = x.word
                 and (p_rank is null or x.score < p_rank or (x.score = p_rank and ew.employee_id > p_id))
                 and not exists (select 1 from employee_words h join x hx on hx.word = h.word
                                  where h.employee_id = ew.employee_id and (hx.score, hx.word) > (x.score, x.word))
               order by ew.employee_id limit p_limit) f
         where (select count(*) from q) = 1 and (p_rank is null or x.score <= p_rank)),
    hits as (
        select ew.employee_id as id, x.i, max(x.score) as s
          from x join employee_words ew on ew.word = x.word
         where (select count(*) from q) > 1
         group by 1, 2),
    m as (
        select id, sum(s)::bigint as rank from hits group by id having count(*) = (select count(*) from q)
        union all select id, rank from one)
    select m.rank, m.id from m join employees e on e.id = m.id
     where e.status = 'active' and (p_rank is null or m.rank < p_rank or (m.rank = p_rank and m.id > p_id))
     order by m.rank desc, m.id limit p_limit;
end $$;

-- NIP prefixes.
create index employees_nip_prefix on employees (nip bpchar_pattern_ops);

-- Skills (tags) and "about me": edited by the employee directly, no verification.
create table employee_about (
    employee_id bigint primary key references employees(id),
    about       text not null default '' check (length(about) <= 2000),
    skills      text[] not null default '{}' check (cardinality(skills) <= 30),
    updated_at  timestamptz not null default now()
);

-- One recommendation per (author, subject); the subject accepts or hides it,
-- only accepted ones are public. An edit by the author sends an accepted one
-- back to pending (the subject agreed to the old text, not to the new one).
create table recommendations (
    id          bigint generated always as identity primary key,
    author_id   bigint not null references employees(id),
    subject_id  bigint not null references employees(id),
    body        text not null check (length(btrim(body)) between 1 and 1000),
    status      text not null default 'pending' check (status in ('pending', 'accepted', 'hidden')),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    decided_at  timestamptz,
    unique (author_id, subject_id),
    check (author_id <> subject_id)
);
create index recommendations_subject_idx on recommendations (subject_id, created_at desc, id desc);
create index recommendations_author_idx on recommendations (author_id, created_at desc, id desc);
