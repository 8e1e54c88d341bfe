-- Demo profile sections and PDM proposals (docs/profile.md). Runs after demo.sql in the
-- same transaction; idempotent: an employee who has any profile record is left alone,
-- and a proposal is added only when that employee has no pending one of that kind.
with v(nip, section, data) as (values
    -- Dewi Lestari, S.A.P. (Kemenkes, staff)
    ('199305212019032001', 'identity', '{"birthplace":"Bogor","religion":"Islam","marital_status":"kawin","blood_type":"A","address":"Jl. Pajajaran No. 17, Bogor Tengah, Kota Bogor","personal_phone":"+62 812-1122-3344","personal_email":"dewi.lestari93@gmail.com","tmt_cpns":"2019-03-01","tmt_pns":"2020-05-01"}'),
    ('199305212019032001', 'family', '{"name":"Rizky Ramadhan","relation":"suami","birth_date":"1991-01-12","occupation":"Karyawan swasta"}'),
    ('199305212019032001', 'family', '{"name":"Nayla Azzahra","relation":"anak","birth_date":"2021-08-03"}'),
    ('199305212019032001', 'rank', '{"golongan":"III/a","tmt":"2019-03-01","sk_number":"KP.03.01/II/1234/2019","sk_date":"2019-02-14"}'),
    ('199305212019032001', 'rank', '{"golongan":"III/b","tmt":"2023-04-01","sk_number":"KP.03.01/II/0871/2023","sk_date":"2023-03-10"}'),
    ('199305212019032001', 'position', '{"position":"Analis Sumber Daya Manusia Aparatur Ahli Pertama","unit":"Bagian Perencanaan dan Pengadaan SDM","tmt":"2020-06-02","sk_number":"KP.02.02/II/556/2020","sk_date":"2020-05-25"}'),
    ('199305212019032001', 'education', '{"level":"SMA","institution":"SMA Negeri 1 Bogor","graduation_year":2011}'),
    ('199305212019032001', 'education', '{"level":"S1","institution":"Universitas Indonesia","major":"Ilmu Administrasi Negara","graduation_year":2015,"certificate_number":"UI/S1/2015/08812"}'),
    ('199305212019032001', 'team', '{"team":"Tim Pengadaan CASN Kemenkes 2024","role":"Sekretaris","start_date":"2024-02-01","end_date":"2024-12-31","sk_number":"HK.02.03/A/0191/2024","sk_date":"2024-01-26"}'),
    ('199305212019032001', 'award', '{"name":"Pegawai Teladan Biro OSDM","year":2022,"issuer":"Sekretaris Jenderal Kemenkes"}'),
    ('199305212019032001', 'competency', '{"activity":"Pelatihan Dasar CPNS Golongan III","organiser":"BBPK Jakarta","jp":241,"start_date":"2019-07-08","end_date":"2019-09-20","certificate_number":"LATSAR/III/2019/0441"}'),
    ('199305212019032001', 'assignment', '{"activity":"Verifikasi berkas seleksi PPPK tenaga kesehatan","kind":"penugasan","location":"Jakarta","start_date":"2024-10-07","end_date":"2024-10-11","sk_number":"ST.01/II/2211/2024"}'),
    -- Hendra Gunawan, S.H., M.H. (Kemenkes, Kepala Bagian)
    ('197806252003121001', 'identity', '{"birthplace":"Bandung","religion":"Islam","marital_status":"kawin","blood_type":"O","address":"Jl. Cempaka Putih Tengah II No. 8, Jakarta Pusat","personal_phone":"+62 811-880-4512","tmt_cpns":"2003-12-01","tmt_pns":"2005-01-01"}'),
    ('197806252003121001', 'family', '{"name":"Sri Rahayu","relation":"istri","birth_date":"1980-03-09","occupation":"Guru"}'),
    ('197806252003121001', 'rank', '{"golongan":"IV/b","tmt":"2019-10-01","sk_number":"KP.03.01/II/4455/2019","sk_date":"2019-09-02"}'),
    ('197806252003121001', 'position', '{"position":"Kepala Bagian Perencanaan dan Pengadaan SDM","unit":"Biro Organisasi dan Sumber Daya Manusia","tmt":"2021-01-04","sk_number":"KP.03.03/II/0012/2021","sk_date":"2020-12-28"}'),
    ('197806252003121001', 'education', '{"level":"S1","institution":"Universitas Padjadjaran","major":"Ilmu Hukum","graduation_year":2001}'),
    ('197806252003121001', 'education', '{"level":"S2","institution":"Universitas Indonesia","major":"Hukum Administrasi Negara","graduation_year":2010}'),
    ('197806252003121001', 'award', '{"name":"Satyalancana Karya Satya X Tahun","year":2014,"issuer":"Presiden Republik Indonesia","sk_number":"Keppres 56/TK/2014"}'),
    ('197806252003121001', 'competency', '{"activity":"Pelatihan Kepemimpinan Administrator","organiser":"LAN RI","jp":439,"start_date":"2020-02-03","end_date":"2020-06-26"}'),
    -- Ahmad Fauzi, S.Pd. (guru SDN 1 Sekayu)
    ('198709232012031001', 'identity', '{"birthplace":"Sekayu","religion":"Islam","marital_status":"kawin","blood_type":"B","address":"Jl. Kolonel Wahid Udin Lk. III, Sekayu, Musi Banyuasin","personal_phone":"+62 813-7766-1020","tmt_cpns":"2012-03-01","tmt_pns":"2013-06-01"}'),
    ('198709232012031001', 'family', '{"name":"Siti Maryam","relation":"istri","birth_date":"1989-11-30","occupation":"Ibu rumah tangga"}'),
    ('198709232012031001', 'rank', '{"golongan":"III/c","tmt":"2021-04-01","sk_number":"823.3/045/BKPSDM/2021","sk_date":"2021-03-15"}'),
    ('198709232012031001', 'position', '{"position":"Guru Kelas Ahli Muda","unit":"SD Negeri 1 Sekayu","tmt":"2021-04-01","sk_number":"821.2/101/BKPSDM/2021","sk_date":"2021-03-20"}'),
    ('198709232012031001', 'education', '{"level":"S1","institution":"Universitas PGRI Palembang","major":"Pendidikan Guru Sekolah Dasar","graduation_year":2010}'),
    ('198709232012031001', 'team', '{"team":"Tim Pengembang Kurikulum Merdeka Gugus III","role":"Anggota","start_date":"2023-01-09","sk_number":"421.2/017/SDN1/2023","sk_date":"2023-01-05"}'),
    ('198709232012031001', 'competency', '{"activity":"Pendidikan Profesi Guru Dalam Jabatan","organiser":"Universitas Sriwijaya","jp":320,"start_date":"2018-08-06","end_date":"2018-11-30"}'),
    ('198709232012031001', 'assignment', '{"activity":"Pengawas Asesmen Nasional Berbasis Komputer","kind":"penugasan","location":"SMP Negeri 2 Sekayu","start_date":"2024-09-02","end_date":"2024-09-05"}'),
    -- Hj. Nurhasanah, S.Pd. (kepala sekolah)
    ('197504142000032001', 'identity', '{"birthplace":"Palembang","religion":"Islam","marital_status":"kawin","address":"Jl. Merdeka No. 12, Sekayu, Musi Banyuasin","tmt_cpns":"2000-03-01","tmt_pns":"2001-04-01"}'),
    ('197504142000032001', 'rank', '{"golongan":"IV/a","tmt":"2016-04-01","sk_number":"823.4/201/BKD/2016","sk_date":"2016-03-11"}'),
    ('197504142000032001', 'education', '{"level":"S1","institution":"Universitas Sriwijaya","major":"Pendidikan Bahasa Indonesia","graduation_year":1998}'),
    ('197504142000032001', 'award', '{"name":"Kepala Sekolah Berprestasi Tingkat Kabupaten","year":2019,"issuer":"Bupati Musi Banyuasin"}')
)
insert into profile_records (employee_id, section, data)
select e.id, v.section, v.data::jsonb
  from v join employees e on e.nip = v.nip
 where not exists (select 1 from profile_records r where r.employee_id = e.id);

-- Pending proposals, so the anpeg queues (RAHMAT for Kemenkes ROSDM, EKO for Disdik Muba) are not empty.
insert into pdm_changes (employee_id, section, op, data, note)
select e.id, 'award', 'add',
       '{"name":"Juara II Inovasi Pelayanan Publik Kemenkes","year":2025,"issuer":"Sekretariat Jenderal Kemenkes"}'::jsonb,
       'Piagam terlampir menyusul'
  from employees e where e.nip = '199305212019032001'
   and not exists (select 1 from pdm_changes c where c.employee_id = e.id and c.status = 'pending' and c.section = 'award');

insert into pdm_changes (employee_id, section, op, record_id, base_version, data, note)
select r.employee_id, 'education', 'edit', r.id, r.version,
       r.data || '{"certificate_number":"UPGRI/PGSD/2010/1187"}'::jsonb, 'Nomor ijazah belum tercatat'
  from profile_records r join employees e on e.id = r.employee_id
 where e.nip = '198709232012031001' and r.section = 'education' and r.deleted_at is null
   and not exists (select 1 from pdm_changes c where c.record_id = r.id and c.status = 'pending');

insert into pdm_changes (employee_id, section, op, data)
select e.id, 'family', 'add', '{"name":"Muhammad Alif Fauzi","relation":"anak","birth_date":"2016-02-14"}'::jsonb
  from employees e where e.nip = '198709232012031001'
   and not exists (select 1 from pdm_changes c where c.employee_id = e.id and c.status = 'pending' and c.section = 'family');
