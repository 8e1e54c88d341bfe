-- bench/search: the mixed query list (one per line, as typed): full names,
-- one word, a word with a letter dropped (typo), the start of a word, NIP
-- prefixes; drawn from the BENCH-SEARCH employees' name keys. psql -v q=2000.
with e as (select search_name as k, nip, (row_number() over (order by hashint4(id::int)))::int as r
             from employees where unit_id = (select id from org_units where code = 'BENCH-SEARCH')),
p as (select r, k, nip, array(select x from unnest(string_to_array(k, ' ')) x where length(x) >= 3) as words
        from e where r <= :q)
select case r % 20
         when 0 then k when 1 then k when 2 then k when 3 then k when 4 then k when 5 then k  -- full name
         when 6 then words[cardinality(words)] when 7 then words[cardinality(words)]          -- family name
         when 8 then words[1] when 9 then words[1]                                             -- first name
         when 10 then words[1] || ' ' || words[cardinality(words)]                             -- first + last
         when 11 then left(words[cardinality(words)], 4 + r % 3)                               -- start of a word
         when 12 then left(words[1], 4)
         when 13 then overlay(words[cardinality(words)] placing '' from 1 + (r % greatest(length(words[cardinality(words)]) - 1, 1)) for 1)
         when 14 then overlay(k placing '' from 2 + (r % greatest(length(k) - 2, 1)) for 1)   -- typo in a full name
         when 15 then overlay(words[1] placing '' from 1 + (r % greatest(length(words[1]) - 1, 1)) for 1)
         else left(nip, 8 + r % 7)                                                              -- NIP prefix
       end
  from p order by r;
