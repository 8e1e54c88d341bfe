-- Demo data for development and the black-box tests. Idempotent: every
-- statement is an upsert keyed by code / NIP / date and only writes when
-- something differs, so running it again changes nothing.
--
-- Demo NIPs other engineers rely on (keep them stable):
--   (a) admin                              198807142014031001  Andi Pratama, S.Kom. (KEMENKES-ROSDM-RENSDM)
--   (b) Kemenkes staff                     199305212019032001  Dewi Lestari, S.A.P. (KEMENKES-ROSDM-RENSDM)
--   (c) guru, SD Negeri 1 Sekayu           198709232012031001  Ahmad Fauzi, S.Pd. (MUBA-SDN1-SEKAYU)
--   (d) kepala sekolah SDN 1 Sekayu        197504142000032001  Hj. Nurhasanah, S.Pd. (MUBA-SDN1-SEKAYU)
--   (e) guru, SD Negeri 1 Jayapura (WIT)   198908172014032001  Agustina Rumbiak, S.Pd. (KOTA-JPR-SDN1)
--   (f) anpeg, Biro Organisasi dan SDM     198611022010121001  Rahmat Hidayat, S.E. (KEMENKES-ROSDM-RENSDM)
-- Also:
--       anpeg, Dinas Pendidikan Muba       198303032009011001  Eko Susanto, S.Sos. (MUBA-DISDIK)
--       humas                              199112192017122001  Fitri Handayani, S.I.Kom. (KEMENKES-ROKOM-MEDIA)
--       korwil Sekayu                      197212011997031001  Sukardi, S.Pd., M.Pd. (MUBA-KORWIL-SEKAYU)
--       Kepala Dinas Pendidikan Muba       196905051994031001  Drs. H. Iskandar Syahputra, M.Pd. (MUBA-DISDIK)
--       atasan of (a), (b), (f)            197806252003121001  Hendra Gunawan, S.H., M.H. (KEMENKES-ROSDM-RENSDM)
--       Sekretaris Jenderal (top)          196804171995031001  dr. Bambang Wibowo, M.Kes. (KEMENKES-SETJEN)
--       staff in Makassar (WITA)           198401282009032001  Nurhayati Syamsuddin, S.K.M. (KEMENKES-BBPK-MKS)
-- Every NIK agrees with its employee's birth date and gender (day + 40 for women).

-- Organisation tree (parents first).
insert into org_units (code, name, parent_id) values ('KEMENKES', 'Kementerian Kesehatan', null)
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KEMENKES-SETJEN', 'Sekretariat Jenderal', (select id from org_units where code = 'KEMENKES'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KEMENKES-ROSDM', 'Biro Organisasi dan Sumber Daya Manusia', (select id from org_units where code = 'KEMENKES-SETJEN'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KEMENKES-ROSDM-RENSDM', 'Bagian Perencanaan dan Pengadaan SDM', (select id from org_units where code = 'KEMENKES-ROSDM'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KEMENKES-ROSDM-BANGKOM', 'Bagian Pengembangan Kompetensi SDM', (select id from org_units where code = 'KEMENKES-ROSDM'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KEMENKES-ROKOM', 'Biro Komunikasi dan Pelayanan Publik', (select id from org_units where code = 'KEMENKES-SETJEN'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KEMENKES-ROKOM-MEDIA', 'Bagian Hubungan Media dan Informasi Publik', (select id from org_units where code = 'KEMENKES-ROKOM'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KEMENKES-BBPK-MKS', 'Balai Besar Pelatihan Kesehatan Makassar', (select id from org_units where code = 'KEMENKES'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('MUBA', 'Pemerintah Kabupaten Musi Banyuasin', null)
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('MUBA-DISDIK', 'Dinas Pendidikan', (select id from org_units where code = 'MUBA'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('MUBA-KORWIL-SEKAYU', 'Korwil Pendidikan Kecamatan Sekayu', (select id from org_units where code = 'MUBA-DISDIK'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('MUBA-SDN1-SEKAYU', 'SD Negeri 1 Sekayu', (select id from org_units where code = 'MUBA-KORWIL-SEKAYU'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('MUBA-SDN2-SEKAYU', 'SD Negeri 2 Sekayu', (select id from org_units where code = 'MUBA-KORWIL-SEKAYU'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KOTA-JPR', 'Pemerintah Kota Jayapura', null)
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KOTA-JPR-DISDIK', 'Dinas Pendidikan Kota Jayapura', (select id from org_units where code = 'KOTA-JPR'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);
insert into org_units (code, name, parent_id) values ('KOTA-JPR-SDN1', 'SD Negeri 1 Jayapura', (select id from org_units where code = 'KOTA-JPR-DISDIK'))
on conflict (code) do update set name = excluded.name, parent_id = excluded.parent_id
    where (org_units.name, org_units.parent_id) is distinct from (excluded.name, excluded.parent_id);

-- Work locations: geofence centre, radius and local time zone (WIB / WITA / WIT).
insert into office_locations (code, name, unit_id, latitude, longitude, radius_m, time_zone)
select v.code, v.name, u.id, v.lat, v.lon, v.radius, v.tz
from (values
    ('LOC-KEMENKES', 'Kantor Pusat Kemenkes, Jl. H.R. Rasuna Said, Jakarta Selatan', 'KEMENKES', -6.2297::double precision, 106.8308::double precision, 200, 'Asia/Jakarta'),
    ('LOC-BBPK-MKS', 'BBPK Makassar, Jl. Wijaya Kusuma Raya, Makassar', 'KEMENKES-BBPK-MKS', -5.1477::double precision, 119.4327::double precision, 150, 'Asia/Makassar'),
    ('LOC-DISDIK-MUBA', 'Kantor Dinas Pendidikan Musi Banyuasin, Sekayu', 'MUBA-DISDIK', -2.8833::double precision, 103.85::double precision, 200, 'Asia/Jakarta'),
    ('LOC-KORWIL-SEKAYU', 'Kantor Korwil Pendidikan Kecamatan Sekayu', 'MUBA-KORWIL-SEKAYU', -2.8868::double precision, 103.8462::double precision, 150, 'Asia/Jakarta'),
    ('LOC-SDN1-SEKAYU', 'SD Negeri 1 Sekayu', 'MUBA-SDN1-SEKAYU', -2.8791::double precision, 103.8419::double precision, 100, 'Asia/Jakarta'),
    ('LOC-SDN2-SEKAYU', 'SD Negeri 2 Sekayu', 'MUBA-SDN2-SEKAYU', -2.8912::double precision, 103.8557::double precision, 100, 'Asia/Jakarta'),
    ('LOC-DISDIK-JPR', 'Kantor Dinas Pendidikan Kota Jayapura', 'KOTA-JPR-DISDIK', -2.5368::double precision, 140.7052::double precision, 150, 'Asia/Jayapura'),
    ('LOC-SDN1-JPR', 'SD Negeri 1 Jayapura', 'KOTA-JPR-SDN1', -2.5337::double precision, 140.7181::double precision, 150, 'Asia/Jayapura')
) as v (code, name, unit_code, lat, lon, radius, tz)
join org_units u on u.code = v.unit_code
on conflict (code) do update set name = excluded.name, unit_id = excluded.unit_id,
    latitude = excluded.latitude, longitude = excluded.longitude, radius_m = excluded.radius_m,
    time_zone = excluded.time_zone
    where (office_locations.name, office_locations.unit_id, office_locations.latitude,
           office_locations.longitude, office_locations.radius_m, office_locations.time_zone)
        is distinct from (excluded.name, excluded.unit_id, excluded.latitude, excluded.longitude,
                          excluded.radius_m, excluded.time_zone);

-- Work schedules (Perpres 21/2023: 37.5 h a week; Friday break 90 min; Ramadan starts 08.00).
--   5HK   Mon-Thu 07.30-16.00, Fri 07.30-16.30 (breaks 60 / 90 min: 4 x 7.5 + 7.5 = 37.5 h)
--   5HKS  Mon-Thu 07.00-15.30, Fri 07.00-16.00 (same breaks: 37.5 h)
--   6HKS  Mon-Thu 07.00-14.00, Fri 07.00-11.00, Sat 07.00-12.30 (4 x 7 + 4 + 5.5 = 37.5 h)
insert into work_schedules (code, name, days_per_week) values
    ('5HK', '5 hari kerja', 5),
    ('5HKS', '5 hari kerja sekolah', 5),
    ('6HKS', '6 hari kerja sekolah', 6)
on conflict (code) do update set name = excluded.name, days_per_week = excluded.days_per_week
    where (work_schedules.name, work_schedules.days_per_week)
        is distinct from (excluded.name, excluded.days_per_week);

insert into work_schedule_days (schedule_id, season, isodow, start_time, end_time)
select s.id, v.season, v.isodow, v.start_time::time, v.end_time::time
from (values
    ('5HK', 'normal', 1, '07:30', '16:00'),
    ('5HK', 'normal', 2, '07:30', '16:00'),
    ('5HK', 'normal', 3, '07:30', '16:00'),
    ('5HK', 'normal', 4, '07:30', '16:00'),
    ('5HK', 'normal', 5, '07:30', '16:30'),
    ('5HK', 'ramadan', 1, '08:00', '15:00'),
    ('5HK', 'ramadan', 2, '08:00', '15:00'),
    ('5HK', 'ramadan', 3, '08:00', '15:00'),
    ('5HK', 'ramadan', 4, '08:00', '15:00'),
    ('5HK', 'ramadan', 5, '08:00', '15:30'),
    ('5HKS', 'normal', 1, '07:00', '15:30'),
    ('5HKS', 'normal', 2, '07:00', '15:30'),
    ('5HKS', 'normal', 3, '07:00', '15:30'),
    ('5HKS', 'normal', 4, '07:00', '15:30'),
    ('5HKS', 'normal', 5, '07:00', '16:00'),
    ('5HKS', 'ramadan', 1, '08:00', '14:30'),
    ('5HKS', 'ramadan', 2, '08:00', '14:30'),
    ('5HKS', 'ramadan', 3, '08:00', '14:30'),
    ('5HKS', 'ramadan', 4, '08:00', '14:30'),
    ('5HKS', 'ramadan', 5, '08:00', '15:00'),
    ('6HKS', 'normal', 1, '07:00', '14:00'),
    ('6HKS', 'normal', 2, '07:00', '14:00'),
    ('6HKS', 'normal', 3, '07:00', '14:00'),
    ('6HKS', 'normal', 4, '07:00', '14:00'),
    ('6HKS', 'normal', 5, '07:00', '11:00'),
    ('6HKS', 'normal', 6, '07:00', '12:30'),
    ('6HKS', 'ramadan', 1, '08:00', '13:00'),
    ('6HKS', 'ramadan', 2, '08:00', '13:00'),
    ('6HKS', 'ramadan', 3, '08:00', '13:00'),
    ('6HKS', 'ramadan', 4, '08:00', '13:00'),
    ('6HKS', 'ramadan', 5, '08:00', '11:00'),
    ('6HKS', 'ramadan', 6, '08:00', '12:00')
) as v (code, season, isodow, start_time, end_time)
join work_schedules s on s.code = v.code
on conflict (schedule_id, season, isodow) do update
    set start_time = excluded.start_time, end_time = excluded.end_time
    where (work_schedule_days.start_time, work_schedule_days.end_time)
        is distinct from (excluded.start_time, excluded.end_time);

-- Ramadan (dates follow the government's isbat; 2027 is an estimate).
insert into ramadan_periods (start_date, end_date) values
    (date '2026-02-18', date '2026-03-19'),
    (date '2027-02-08', date '2027-03-09')
on conflict (start_date) do update set end_date = excluded.end_date
    where ramadan_periods.end_date is distinct from excluded.end_date;

-- National holidays 2026 and 2027 (SKB 3 Menteri; a realistic subset, cuti bersama not included).
insert into public_holidays (holiday_date, name) values
    (date '2026-01-01', 'Tahun Baru 2026 Masehi'),
    (date '2026-01-16', 'Isra Mikraj Nabi Muhammad SAW'),
    (date '2026-02-17', 'Tahun Baru Imlek 2577 Kongzili'),
    (date '2026-03-19', 'Hari Suci Nyepi Tahun Baru Saka 1948'),
    (date '2026-03-20', 'Hari Raya Idul Fitri 1447 Hijriah'),
    (date '2026-03-21', 'Hari Raya Idul Fitri 1447 Hijriah (hari kedua)'),
    (date '2026-04-03', 'Wafat Yesus Kristus'),
    (date '2026-04-05', 'Kebangkitan Yesus Kristus (Paskah)'),
    (date '2026-05-01', 'Hari Buruh Internasional'),
    (date '2026-05-14', 'Kenaikan Yesus Kristus'),
    (date '2026-05-27', 'Hari Raya Idul Adha 1447 Hijriah'),
    (date '2026-05-31', 'Hari Raya Waisak 2570 BE'),
    (date '2026-06-01', 'Hari Lahir Pancasila'),
    (date '2026-06-16', 'Tahun Baru Islam 1448 Hijriah'),
    (date '2026-08-17', 'Hari Proklamasi Kemerdekaan Republik Indonesia'),
    (date '2026-08-25', 'Maulid Nabi Muhammad SAW'),
    (date '2026-12-25', 'Hari Raya Natal'),
    (date '2027-01-01', 'Tahun Baru 2027 Masehi'),
    (date '2027-01-06', 'Isra Mikraj Nabi Muhammad SAW'),
    (date '2027-02-06', 'Tahun Baru Imlek 2578 Kongzili'),
    (date '2027-03-08', 'Hari Suci Nyepi Tahun Baru Saka 1949'),
    (date '2027-03-10', 'Hari Raya Idul Fitri 1448 Hijriah'),
    (date '2027-03-11', 'Hari Raya Idul Fitri 1448 Hijriah (hari kedua)'),
    (date '2027-03-26', 'Wafat Yesus Kristus'),
    (date '2027-03-28', 'Kebangkitan Yesus Kristus (Paskah)'),
    (date '2027-05-01', 'Hari Buruh Internasional'),
    (date '2027-05-06', 'Kenaikan Yesus Kristus'),
    (date '2027-05-17', 'Hari Raya Idul Adha 1448 Hijriah'),
    (date '2027-05-20', 'Hari Raya Waisak 2571 BE'),
    (date '2027-06-01', 'Hari Lahir Pancasila'),
    (date '2027-06-06', 'Tahun Baru Islam 1449 Hijriah'),
    (date '2027-08-15', 'Maulid Nabi Muhammad SAW'),
    (date '2027-08-17', 'Hari Proklamasi Kemerdekaan Republik Indonesia'),
    (date '2027-12-25', 'Hari Raya Natal')
on conflict (holiday_date) do update set name = excluded.name
    where public_holidays.name is distinct from excluded.name;

-- Positions (jabatan).
insert into positions (name, type) values
    ('Sekretaris Jenderal', 'struktural'),
    ('Kepala Biro Organisasi dan Sumber Daya Manusia', 'struktural'),
    ('Kepala Biro Komunikasi dan Pelayanan Publik', 'struktural'),
    ('Kepala Bagian Perencanaan dan Pengadaan SDM', 'struktural'),
    ('Kepala Bagian Pengembangan Kompetensi SDM', 'struktural'),
    ('Kepala Bagian Hubungan Media dan Informasi Publik', 'struktural'),
    ('Pranata Komputer Ahli Muda', 'fungsional'),
    ('Analis Sumber Daya Manusia Aparatur Ahli Muda', 'fungsional'),
    ('Analis Sumber Daya Manusia Aparatur Ahli Pertama', 'fungsional'),
    ('Pengadministrasi Perkantoran', 'pelaksana'),
    ('Pranata Komputer Terampil', 'fungsional'),
    ('Widyaiswara Ahli Muda', 'fungsional'),
    ('Analis Pengembangan Kompetensi', 'pelaksana'),
    ('Pranata Hubungan Masyarakat Ahli Pertama', 'fungsional'),
    ('Pengelola Layanan Informasi Publik', 'pelaksana'),
    ('Kepala Balai Besar Pelatihan Kesehatan Makassar', 'struktural'),
    ('Pranata Komputer Ahli Pertama', 'fungsional'),
    ('Kepala Dinas Pendidikan', 'struktural'),
    ('Sekretaris Dinas Pendidikan', 'struktural'),
    ('Koordinator Wilayah Pendidikan Kecamatan Sekayu', 'struktural'),
    ('Pengelola Data Pendidikan', 'pelaksana'),
    ('Kepala Sekolah', 'fungsional'),
    ('Guru Kelas Ahli Muda', 'fungsional'),
    ('Guru Pendidikan Jasmani Ahli Pertama', 'fungsional'),
    ('Guru Kelas Ahli Pertama', 'fungsional'),
    ('Guru Pendidikan Agama Islam Ahli Pertama', 'fungsional'),
    ('Guru Bahasa Inggris Ahli Pertama', 'fungsional'),
    ('Guru Pendidikan Agama Kristen Ahli Pertama', 'fungsional')
on conflict (name) do update set type = excluded.type
    where positions.type is distinct from excluded.type;

-- Employees; supervisors are set afterwards, once everyone exists.
insert into employees (nip, nik, name, gender, birth_date, employee_type, rank, position_id, unit_id,
                       office_location_id, work_schedule_id, office_email)
select v.nip, v.nik, v.name, v.gender, v.birth_date::date, v.employee_type, v.rank, p.id, u.id, l.id, s.id, v.email
from (values
    ('196804171995031001', '3174041704680001', 'dr. Bambang Wibowo, M.Kes.', 'L', '1968-04-17', 'PNS', 'IV/e', 'Sekretaris Jenderal', 'KEMENKES-SETJEN', 'LOC-KEMENKES', '5HK', 'bambang.wibowo@kemkes.go.id'),
    ('197209031998032001', '3276014309720038', 'Dra. Sri Wahyuni, M.A.P.', 'P', '1972-09-03', 'PNS', 'IV/c', 'Kepala Biro Organisasi dan Sumber Daya Manusia', 'KEMENKES-ROSDM', 'LOC-KEMENKES', '5HK', 'sri.wahyuni@kemkes.go.id'),
    ('197402112000031001', '3174011102740075', 'Agus Setiawan, S.Sos., M.Si.', 'L', '1974-02-11', 'PNS', 'IV/c', 'Kepala Biro Komunikasi dan Pelayanan Publik', 'KEMENKES-ROKOM', 'LOC-KEMENKES', '5HK', 'agus.setiawan@kemkes.go.id'),
    ('197806252003121001', '3275032506780112', 'Hendra Gunawan, S.H., M.H.', 'L', '1978-06-25', 'PNS', 'IV/b', 'Kepala Bagian Perencanaan dan Pengadaan SDM', 'KEMENKES-ROSDM-RENSDM', 'LOC-KEMENKES', '5HK', 'hendra.gunawan@kemkes.go.id'),
    ('198012082005012001', '3174044812800149', 'Ratna Sari Dewi, S.Psi., M.M.', 'P', '1980-12-08', 'PNS', 'IV/a', 'Kepala Bagian Pengembangan Kompetensi SDM', 'KEMENKES-ROSDM-BANGKOM', 'LOC-KEMENKES', '5HK', 'ratna.sari@kemkes.go.id'),
    ('197903302004121001', '3276013003790186', 'Yudi Prasetyo, S.I.Kom., M.Si.', 'L', '1979-03-30', 'PNS', 'IV/a', 'Kepala Bagian Hubungan Media dan Informasi Publik', 'KEMENKES-ROKOM-MEDIA', 'LOC-KEMENKES', '5HK', 'yudi.prasetyo@kemkes.go.id'),
    ('198807142014031001', '3275031407880223', 'Andi Pratama, S.Kom.', 'L', '1988-07-14', 'PNS', 'III/c', 'Pranata Komputer Ahli Muda', 'KEMENKES-ROSDM-RENSDM', 'LOC-KEMENKES', '5HK', 'andi.pratama@kemkes.go.id'),
    ('198611022010121001', '3174010211860260', 'Rahmat Hidayat, S.E.', 'L', '1986-11-02', 'PNS', 'III/d', 'Analis Sumber Daya Manusia Aparatur Ahli Muda', 'KEMENKES-ROSDM-RENSDM', 'LOC-KEMENKES', '5HK', 'rahmat.hidayat@kemkes.go.id'),
    ('199305212019032001', '3174046105930297', 'Dewi Lestari, S.A.P.', 'P', '1993-05-21', 'PNS', 'III/b', 'Analis Sumber Daya Manusia Aparatur Ahli Pertama', 'KEMENKES-ROSDM-RENSDM', 'LOC-KEMENKES', '5HK', 'dewi.lestari@kemkes.go.id'),
    ('199601092021031001', '3276010901960334', 'Muhammad Rizki Ramadhan', 'L', '1996-01-09', 'PNS', 'II/c', 'Pengadministrasi Perkantoran', 'KEMENKES-ROSDM-RENSDM', 'LOC-KEMENKES', '5HK', 'muhammad.rizki@kemkes.go.id'),
    ('199508302022212001', '3275037008950371', 'Nur Aisyah, A.Md.', 'P', '1995-08-30', 'PPPK', 'VII', 'Pranata Komputer Terampil', 'KEMENKES-ROSDM-RENSDM', 'LOC-KEMENKES', '5HK', 'nur.aisyah@kemkes.go.id'),
    ('198510122010012001', '3174015210850408', 'Siti Rahmawati, S.Pd., M.Pd.', 'P', '1985-10-12', 'PNS', 'III/d', 'Widyaiswara Ahli Muda', 'KEMENKES-ROSDM-BANGKOM', 'LOC-KEMENKES', '5HK', 'siti.rahmawati@kemkes.go.id'),
    ('199004042015031001', '3275030404900445', 'Fajar Nugroho, S.T.', 'L', '1990-04-04', 'PNS', 'III/a', 'Analis Pengembangan Kompetensi', 'KEMENKES-ROSDM-BANGKOM', 'LOC-KEMENKES', '5HK', 'fajar.nugroho@kemkes.go.id'),
    ('199702272023222001', '3276016702970482', 'Putri Ayu Kusuma, S.Psi.', 'P', '1997-02-27', 'PPPK', 'IX', 'Analis Sumber Daya Manusia Aparatur Ahli Pertama', 'KEMENKES-ROSDM-BANGKOM', 'LOC-KEMENKES', '5HK', 'putri.ayu@kemkes.go.id'),
    ('199112192017122001', '3174045912910519', 'Fitri Handayani, S.I.Kom.', 'P', '1991-12-19', 'PNS', 'III/b', 'Pranata Hubungan Masyarakat Ahli Pertama', 'KEMENKES-ROKOM-MEDIA', 'LOC-KEMENKES', '5HK', 'fitri.handayani@kemkes.go.id'),
    ('199409072022211001', '3174010709940556', 'Bayu Saputra, S.Ds.', 'L', '1994-09-07', 'PPPK', 'IX', 'Pranata Hubungan Masyarakat Ahli Pertama', 'KEMENKES-ROKOM-MEDIA', 'LOC-KEMENKES', '5HK', 'bayu.saputra@kemkes.go.id'),
    ('199803152022012001', '3275035503980593', 'Wulan Permatasari', 'P', '1998-03-15', 'PNS', 'II/c', 'Pengelola Layanan Informasi Publik', 'KEMENKES-ROKOM', 'LOC-KEMENKES', '5HK', 'wulan.permatasari@kemkes.go.id'),
    ('197108221999121001', '7371052208710630', 'dr. Andi Muhammad Yusuf, M.P.H.', 'L', '1971-08-22', 'PNS', 'IV/c', 'Kepala Balai Besar Pelatihan Kesehatan Makassar', 'KEMENKES-BBPK-MKS', 'LOC-BBPK-MKS', '5HK', 'andi.muhammad@kemkes.go.id'),
    ('198401282009032001', '7371106801840667', 'Nurhayati Syamsuddin, S.K.M.', 'P', '1984-01-28', 'PNS', 'III/d', 'Widyaiswara Ahli Muda', 'KEMENKES-BBPK-MKS', 'LOC-BBPK-MKS', '5HK', 'nurhayati.syamsuddin@kemkes.go.id'),
    ('199206032018031001', '7371050306920704', 'Irfan Hamzah, S.Kom.', 'L', '1992-06-03', 'PNS', 'III/a', 'Pranata Komputer Ahli Pertama', 'KEMENKES-BBPK-MKS', 'LOC-BBPK-MKS', '5HK', 'irfan.hamzah@kemkes.go.id'),
    ('199011112021212001', '7371105111900741', 'Sitti Nurbaya Daeng Ngai', 'P', '1990-11-11', 'PPPK', 'V', 'Pengadministrasi Perkantoran', 'KEMENKES-BBPK-MKS', 'LOC-BBPK-MKS', '5HK', 'sitti.nurbaya@kemkes.go.id'),
    ('196905051994031001', '1671020505690778', 'Drs. H. Iskandar Syahputra, M.Pd.', 'L', '1969-05-05', 'PNS', 'IV/c', 'Kepala Dinas Pendidikan', 'MUBA-DISDIK', 'LOC-DISDIK-MUBA', '5HK', 'iskandar.syahputra@musibanyuasinkab.go.id'),
    ('197307191998122001', '1606015907730815', 'Hj. Rosmiati, S.Pd., M.M.', 'P', '1973-07-19', 'PNS', 'IV/b', 'Sekretaris Dinas Pendidikan', 'MUBA-DISDIK', 'LOC-DISDIK-MUBA', '5HK', 'rosmiati@musibanyuasinkab.go.id'),
    ('198303032009011001', '1606010303830852', 'Eko Susanto, S.Sos.', 'L', '1983-03-03', 'PNS', 'III/c', 'Analis Sumber Daya Manusia Aparatur Ahli Muda', 'MUBA-DISDIK', 'LOC-DISDIK-MUBA', '5HK', 'eko.susanto@musibanyuasinkab.go.id'),
    ('199010102021212001', '1606025010900889', 'Lina Marlina', 'P', '1990-10-10', 'PPPK', 'V', 'Pengadministrasi Perkantoran', 'MUBA-DISDIK', 'LOC-DISDIK-MUBA', '5HK', 'lina.marlina@musibanyuasinkab.go.id'),
    ('197212011997031001', '1606010112720926', 'Sukardi, S.Pd., M.Pd.', 'L', '1972-12-01', 'PNS', 'IV/a', 'Koordinator Wilayah Pendidikan Kecamatan Sekayu', 'MUBA-KORWIL-SEKAYU', 'LOC-KORWIL-SEKAYU', '5HK', 'sukardi@musibanyuasinkab.go.id'),
    ('198907072014032001', '1606024707890963', 'Yuliana, A.Md.', 'P', '1989-07-07', 'PNS', 'II/d', 'Pengelola Data Pendidikan', 'MUBA-KORWIL-SEKAYU', 'LOC-KORWIL-SEKAYU', '5HK', 'yuliana@musibanyuasinkab.go.id'),
    ('197504142000032001', '1606015404751000', 'Hj. Nurhasanah, S.Pd.', 'P', '1975-04-14', 'PNS', 'IV/a', 'Kepala Sekolah', 'MUBA-SDN1-SEKAYU', 'LOC-SDN1-SEKAYU', '6HKS', 'nurhasanah@musibanyuasinkab.go.id'),
    ('198709232012031001', '1606012309871037', 'Ahmad Fauzi, S.Pd.', 'L', '1987-09-23', 'PNS', 'III/c', 'Guru Kelas Ahli Muda', 'MUBA-SDN1-SEKAYU', 'LOC-SDN1-SEKAYU', '6HKS', 'ahmad.fauzi@musibanyuasinkab.go.id'),
    ('198202142006012001', '1606025402821074', 'Sri Mulyani, S.Pd.', 'P', '1982-02-14', 'PNS', 'III/d', 'Guru Kelas Ahli Muda', 'MUBA-SDN1-SEKAYU', 'LOC-SDN1-SEKAYU', '6HKS', 'sri.mulyani@musibanyuasinkab.go.id'),
    ('199106182019031001', '1606011806911111', 'Rudi Hartono, S.Pd.', 'L', '1991-06-18', 'PNS', 'III/b', 'Guru Pendidikan Jasmani Ahli Pertama', 'MUBA-SDN1-SEKAYU', 'LOC-SDN1-SEKAYU', '6HKS', 'rudi.hartono@musibanyuasinkab.go.id'),
    ('199212052021212001', '1606024512921148', 'Desi Ratnasari, S.Pd.', 'P', '1992-12-05', 'PPPK', 'IX', 'Guru Kelas Ahli Pertama', 'MUBA-SDN1-SEKAYU', 'LOC-SDN1-SEKAYU', '6HKS', null),
    ('198903272022221001', '1606012703891185', 'Heri Kurniawan, S.Pd.I.', 'L', '1989-03-27', 'PPPK', 'IX', 'Guru Pendidikan Agama Islam Ahli Pertama', 'MUBA-SDN1-SEKAYU', 'LOC-SDN1-SEKAYU', '6HKS', null),
    ('199511302023232001', '1606017011951222', 'Maya Anggraini, S.Pd.', 'P', '1995-11-30', 'PPPK', 'IX', 'Guru Kelas Ahli Pertama', 'MUBA-SDN1-SEKAYU', 'LOC-SDN1-SEKAYU', '6HKS', null),
    ('198608082010121001', '1606020808861259', 'Dedi Irawan, S.Pd.', 'L', '1986-08-08', 'PNS', 'III/c', 'Guru Kelas Ahli Muda', 'MUBA-SDN1-SEKAYU', 'LOC-SDN1-SEKAYU', '6HKS', 'dedi.irawan@musibanyuasinkab.go.id'),
    ('197410201999121001', '1606022010741296', 'Zulkifli, S.Pd., M.Pd.', 'L', '1974-10-20', 'PNS', 'IV/a', 'Kepala Sekolah', 'MUBA-SDN2-SEKAYU', 'LOC-SDN2-SEKAYU', '6HKS', 'zulkifli@musibanyuasinkab.go.id'),
    ('198404212009032001', '1606016104841333', 'Kartini Wulandari, S.Pd.', 'P', '1984-04-21', 'PNS', 'III/d', 'Guru Kelas Ahli Muda', 'MUBA-SDN2-SEKAYU', 'LOC-SDN2-SEKAYU', '6HKS', 'kartini.wulandari@musibanyuasinkab.go.id'),
    ('199001312015031001', '1606023101901370', 'Taufik Hidayat, S.Pd.', 'L', '1990-01-31', 'PNS', 'III/b', 'Guru Kelas Ahli Pertama', 'MUBA-SDN2-SEKAYU', 'LOC-SDN2-SEKAYU', '6HKS', 'taufik.hidayat@musibanyuasinkab.go.id'),
    ('199303082021212001', '1606014803931407', 'Elly Susanti, S.Pd.', 'P', '1993-03-08', 'PPPK', 'IX', 'Guru Kelas Ahli Pertama', 'MUBA-SDN2-SEKAYU', 'LOC-SDN2-SEKAYU', '6HKS', null),
    ('199607172022221001', '1606021707961444', 'Robby Firmansyah, S.Pd.', 'L', '1996-07-17', 'PPPK', 'IX', 'Guru Bahasa Inggris Ahli Pertama', 'MUBA-SDN2-SEKAYU', 'LOC-SDN2-SEKAYU', '6HKS', null),
    ('198805292013122001', '1606016905881481', 'Indah Purnamasari, S.Pd.', 'P', '1988-05-29', 'PNS', 'III/c', 'Guru Kelas Ahli Muda', 'MUBA-SDN2-SEKAYU', 'LOC-SDN2-SEKAYU', '6HKS', 'indah.purnamasari@musibanyuasinkab.go.id'),
    ('198502022023231001', '1606020202851518', 'Supriyadi', 'L', '1985-02-02', 'PPPK', 'IX', 'Guru Pendidikan Jasmani Ahli Pertama', 'MUBA-SDN2-SEKAYU', 'LOC-SDN2-SEKAYU', '6HKS', null),
    ('197003121996031001', '9171011203701555', 'Drs. Yohanes Wanimbo, M.Si.', 'L', '1970-03-12', 'PNS', 'IV/c', 'Kepala Dinas Pendidikan', 'KOTA-JPR-DISDIK', 'LOC-DISDIK-JPR', '5HK', 'yohanes.wanimbo@jayapurakota.go.id'),
    ('198712242012032001', '9171046412871592', 'Maria Yarangga, S.E.', 'P', '1987-12-24', 'PNS', 'III/b', 'Analis Sumber Daya Manusia Aparatur Ahli Pertama', 'KOTA-JPR-DISDIK', 'LOC-DISDIK-JPR', '5HK', 'maria.yarangga@jayapurakota.go.id'),
    ('197606062002031001', '9171010606761629', 'Yosias Kambu, S.Pd.', 'L', '1976-06-06', 'PNS', 'IV/a', 'Kepala Sekolah', 'KOTA-JPR-SDN1', 'LOC-SDN1-JPR', '5HKS', 'yosias.kambu@jayapurakota.go.id'),
    ('198908172014032001', '9171015708891666', 'Agustina Rumbiak, S.Pd.', 'P', '1989-08-17', 'PNS', 'III/c', 'Guru Kelas Ahli Muda', 'KOTA-JPR-SDN1', 'LOC-SDN1-JPR', '5HKS', 'agustina.rumbiak@jayapurakota.go.id'),
    ('199104252017031001', '9171042504911703', 'Markus Worabai, S.Pd.', 'L', '1991-04-25', 'PNS', 'III/b', 'Guru Kelas Ahli Pertama', 'KOTA-JPR-SDN1', 'LOC-SDN1-JPR', '5HKS', 'markus.worabai@jayapurakota.go.id'),
    ('199409132022212001', '9171045309941740', 'Ester Mandowen, S.Pd.', 'P', '1994-09-13', 'PPPK', 'IX', 'Guru Kelas Ahli Pertama', 'KOTA-JPR-SDN1', 'LOC-SDN1-JPR', '5HKS', null),
    ('199301202023221001', '9171012001931777', 'Daniel Itlay, S.Pd.', 'L', '1993-01-20', 'PPPK', 'IX', 'Guru Pendidikan Agama Kristen Ahli Pertama', 'KOTA-JPR-SDN1', 'LOC-SDN1-JPR', '5HKS', null),
    ('199705032023222001', '9171044305971814', 'Ribka Wenda, S.Pd.', 'P', '1997-05-03', 'PPPK', 'IX', 'Guru Kelas Ahli Pertama', 'KOTA-JPR-SDN1', 'LOC-SDN1-JPR', '5HKS', null)
) as v (nip, nik, name, gender, birth_date, employee_type, rank, position, unit_code, location_code,
        schedule_code, email)
join positions p on p.name = v.position
join org_units u on u.code = v.unit_code
join office_locations l on l.code = v.location_code
join work_schedules s on s.code = v.schedule_code
on conflict (nip) do update set nik = excluded.nik, name = excluded.name, gender = excluded.gender,
    birth_date = excluded.birth_date, employee_type = excluded.employee_type, rank = excluded.rank,
    position_id = excluded.position_id, unit_id = excluded.unit_id,
    office_location_id = excluded.office_location_id, work_schedule_id = excluded.work_schedule_id,
    office_email = excluded.office_email, status = 'active'
    where (employees.nik, employees.name, employees.gender, employees.birth_date, employees.employee_type,
           employees.rank, employees.position_id, employees.unit_id, employees.office_location_id,
           employees.work_schedule_id, employees.office_email, employees.status)
        is distinct from (excluded.nik, excluded.name, excluded.gender, excluded.birth_date,
                          excluded.employee_type, excluded.rank, excluded.position_id, excluded.unit_id,
                          excluded.office_location_id, excluded.work_schedule_id, excluded.office_email,
                          'active');

-- Supervisor chains: guru -> kepala sekolah -> korwil -> Kepala Dinas Pendidikan;
-- staf -> kepala bagian -> kepala biro -> Sekretaris Jenderal. Top-down, so that the
-- cycle check in the trigger sees a consistent tree.
update employees e set supervisor_id = s.id
from (values
    ('197209031998032001', '196804171995031001'),
    ('197402112000031001', '196804171995031001'),
    ('197108221999121001', '196804171995031001'),
    ('197307191998122001', '196905051994031001'),
    ('197212011997031001', '196905051994031001'),
    ('198712242012032001', '197003121996031001'),
    ('197606062002031001', '197003121996031001'),
    ('197806252003121001', '197209031998032001'),
    ('198012082005012001', '197209031998032001'),
    ('197903302004121001', '197402112000031001'),
    ('199803152022012001', '197402112000031001'),
    ('198401282009032001', '197108221999121001'),
    ('199206032018031001', '197108221999121001'),
    ('199011112021212001', '197108221999121001'),
    ('198303032009011001', '197307191998122001'),
    ('199010102021212001', '197307191998122001'),
    ('198907072014032001', '197212011997031001'),
    ('197504142000032001', '197212011997031001'),
    ('197410201999121001', '197212011997031001'),
    ('198908172014032001', '197606062002031001'),
    ('199104252017031001', '197606062002031001'),
    ('199409132022212001', '197606062002031001'),
    ('199301202023221001', '197606062002031001'),
    ('199705032023222001', '197606062002031001'),
    ('198807142014031001', '197806252003121001'),
    ('198611022010121001', '197806252003121001'),
    ('199305212019032001', '197806252003121001'),
    ('199601092021031001', '197806252003121001'),
    ('199508302022212001', '197806252003121001'),
    ('198510122010012001', '198012082005012001'),
    ('199004042015031001', '198012082005012001'),
    ('199702272023222001', '198012082005012001'),
    ('199112192017122001', '197903302004121001'),
    ('199409072022211001', '197903302004121001'),
    ('198709232012031001', '197504142000032001'),
    ('198202142006012001', '197504142000032001'),
    ('199106182019031001', '197504142000032001'),
    ('199212052021212001', '197504142000032001'),
    ('198903272022221001', '197504142000032001'),
    ('199511302023232001', '197504142000032001'),
    ('198608082010121001', '197504142000032001'),
    ('198404212009032001', '197410201999121001'),
    ('199001312015031001', '197410201999121001'),
    ('199303082021212001', '197410201999121001'),
    ('199607172022221001', '197410201999121001'),
    ('198805292013122001', '197410201999121001'),
    ('198502022023231001', '197410201999121001')
) as v (nip, supervisor_nip)
join employees s on s.nip = v.supervisor_nip
where e.nip = v.nip and e.supervisor_id is distinct from s.id;
update employees set supervisor_id = null
where nip in ('196804171995031001', '196905051994031001', '197003121996031001') and supervisor_id is not null;

-- Granted roles (atasan is derived from the supervisor chain, never granted).
insert into role_grants (employee_id, role, unit_id)
select e.id, v.role, u.id
from (values
    ('198807142014031001', 'admin', null),
    ('198611022010121001', 'anpeg', 'KEMENKES-ROSDM'),
    ('198303032009011001', 'anpeg', 'MUBA-DISDIK'),
    ('199112192017122001', 'humas', null)
) as v (nip, role, unit_code)
join employees e on e.nip = v.nip
left join org_units u on u.code = v.unit_code
on conflict (employee_id, role, (coalesce(unit_id, 0))) where revoked_at is null do nothing;
