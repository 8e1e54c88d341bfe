-- bench/search: :n synthetic employees with realistic Indonesian names and
-- titles (gelar) in org unit BENCH-SEARCH, for the search benchmark. Run by
-- bench/search on a throw-away database (psql -v n=100000). Deterministic: the
-- same n gives the same names, so runs compare.
insert into org_units (code, name) values ('BENCH-SEARCH', 'Benchmark pencarian (pegawai sintetis)')
    on conflict (code) do nothing;

with w as (select
    array['Agus','Ahmad','Andi','Bambang','Budi','Dedi','Eko','Fajar','Hendra','Irfan','Joko','Kurniawan','Muhammad',
          'Rahmat','Rudi','Slamet','Sutrisno','Taufik','Wahyu','Yusuf','Hadi','Arif','Bayu','Dimas','Rizki','Hasan',
          'Imam','Lukman','Nanang','Sugeng','Teguh','Wawan','Yohanes','Markus','Daniel','I Made','I Wayan','I Ketut',
          'M.','Iskandar','Zulkifli','Supriyadi'] as first_l,
    array['Siti','Sri','Dewi','Ratna','Nur','Fitri','Putri','Lina','Maya','Yuliana','Indah','Kartini','Rina','Wulan',
          'Ani','Endang','Lestari','Rosmiati','Nurhasanah','Agustina','Maria','Ester','Ni Made','Ni Luh','Desi',
          'Elly','Aisyah','Fatimah','Khadijah','Rahayu','Suryani','Yanti','Sitti','Hélène'] as first_p,
    array['','','','','Adi','Dwi','Tri','Eka','Nur','Budi','Cahya','Putra','Putri','Ayu','Sari','Indra','Surya',
          'Bagus','Citra','Dian','Hidayat','Rahman','Kusuma','Permata','Wahyu','Agung','Fitria'] as middle,
    array['Pratama','Setiawan','Wibowo','Gunawan','Hidayat','Nugroho','Santoso','Saputra','Syahputra','Kurniawan',
          'Susanto','Hartono','Irawan','Firmansyah','Ramadhan','Lestari','Handayani','Rahmawati','Wulandari',
          'Purnamasari','Anggraini','Ratnasari','Susanti','Permatasari','Hamzah','Syamsuddin','Siregar','Nasution',
          'Harahap','Lubis','Simanjuntak','Sitompul','Tambunan','Pangaribuan','Manurung','Sinaga','Rumbiak',
          'Wanimbo','Kambu','Yarangga','Mandowen','Wenda','Daeng Ngai','Mappaseng','Pakpahan','Tanjung',
          'Batubara','Matondang','Sihombing','Panjaitan','Rusdi','Marzuki','Baharuddin','Jamaluddin',
          'Kartika','Sulistyowati','Prasetyo','Utomo','Suharto','Sudirman','Sembiring','Ginting','Tarigan'] as last,
    array['','','','','','','','','','','','','','','Drs.','H.','Drs. H.','dr.','Ir.','Dr.','Prof. Dr.','Ns.','drg.',
          'Ir. H.'] as front_l,
    array['','','','','','','','','','','','','','','Dra.','Hj.','Hj. Dra.','dr.','Ir.','Dr.','Prof. Dr.','Ns.','drg.',
          'dr. Hj.'] as front_p,
    array['','','','',', S.Pd.',', S.Pd.',', S.Kom.',', S.E.',', S.H.',', S.Sos.',', A.Md.',', S.K.M.',', S.T.',
          ', S.Pd., M.Pd.',', S.E., M.M.',', S.H., M.H.',', S.Si., M.Si.',', M.Kes.',', Ph.D.',', S.I.Kom.',
          ', S.Pd.I.',', M.A.P.',', S.Psi.'] as back),
g as (select i, date '1965-01-01' + (i % 12000) as birth, 1 + (i * 7) % 2 as gd, 800 + i / 12000 as seq,
             (hashint4(i)::bigint + 2147483648) % 1000000007 as h1,
             (hashint4(i + 1000003)::bigint + 2147483648) % 1000000007 as h2,
             (hashint4(i + 2000003)::bigint + 2147483648) % 1000000007 as h3
        from generate_series(1, :n) i)
insert into employees (nip, nik, name, gender, birth_date, employee_type, rank, position_id, unit_id)
select to_char(g.birth, 'YYYYMMDD') || to_char(g.birth + interval '23 years', 'YYYYMM') || g.gd::text
           || lpad(g.seq::text, 3, '0'),
       '160601' || lpad((extract(day from g.birth)::int + case g.gd when 2 then 40 else 0 end)::text, 2, '0')
           || to_char(g.birth, 'MMYY') || lpad((g.i % 10000)::text, 4, '0'),
       btrim(case g.gd when 1 then w.front_l[(1 + g.h1 % cardinality(w.front_l))::int] || ' '
                            || w.first_l[(1 + g.h2 % cardinality(w.first_l))::int]
                       else w.front_p[(1 + g.h1 % cardinality(w.front_p))::int] || ' '
                            || w.first_p[(1 + g.h2 % cardinality(w.first_p))::int] end
             || case when w.middle[(1 + g.h3 % cardinality(w.middle))::int] = '' then ''
                     else ' ' || w.middle[(1 + g.h3 % cardinality(w.middle))::int] end
             || ' ' || w.last[(1 + (g.h1 / 7) % cardinality(w.last))::int])
           || w.back[(1 + (g.h2 / 11) % cardinality(w.back))::int],
       case g.gd when 1 then 'L' else 'P' end, g.birth, 'PNS', 'III/a',
       (select id from positions order by id offset (g.h3 % 5) limit 1),
       (select id from org_units where code = 'BENCH-SEARCH')
  from g, w
on conflict (nip) do nothing;
analyze employees;
