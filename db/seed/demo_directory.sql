-- Demo data of the employee directory (docs/directory.md): skills, "about me"
-- and recommendations between demo employees, some accepted (public on the
-- profile), some pending (waiting in the subject's list). Idempotent: upserts
-- keyed by NIP that write only when something differs. Runs after demo.sql.

insert into employee_about (employee_id, skills, about)
select e.id, v.skills, v.about
from (values
    ('196905051994031001', array['Manajemen Pendidikan', 'Kurikulum Merdeka', 'Kepemimpinan', 'Penganggaran'],
     'Kepala Dinas Pendidikan Kabupaten Musi Banyuasin. Tiga puluh tahun di dunia pendidikan, dari guru SD sampai kepala dinas.'),
    ('197212011997031001', array['Supervisi Akademik', 'Pembinaan Guru', 'Kurikulum Merdeka'],
     'Koordinator wilayah pendidikan Kecamatan Sekayu; mendampingi kepala sekolah dan guru SD.'),
    ('197504142000032001', array['Manajemen Sekolah', 'Supervisi Akademik', 'Literasi Dasar'],
     'Kepala SD Negeri 1 Sekayu.'),
    ('198709232012031001', array['Pembelajaran Tematik', 'Matematika SD', 'Pramuka', 'Microsoft Excel'],
     'Guru kelas V SD Negeri 1 Sekayu, pembina Pramuka gugus depan sekolah.'),
    ('198303032009011001', array['Analisis Jabatan', 'SIMPEG', 'Penilaian Kinerja', 'Data Kepegawaian'],
     'Analis SDM Aparatur di Dinas Pendidikan; mengurus PDM dan kenaikan pangkat guru.'),
    ('198807142014031001', array['PostgreSQL', 'Linux', 'Jaringan Komputer', 'Keamanan Informasi'],
     'Pranata komputer; mengelola server e-Office Biro OSDM.'),
    ('199305212019032001', array['Perencanaan SDM', 'Analisis Beban Kerja', 'Microsoft Excel'],
     'Analis SDM Aparatur ahli pertama, Bagian Perencanaan dan Pengadaan SDM.'),
    ('198611022010121001', array['Analisis Jabatan', 'Manajemen Talenta', 'SIASN'],
     'Analis SDM Aparatur; verifikator PDM Biro Organisasi dan SDM.'),
    ('199112192017122001', array['Hubungan Media', 'Penulisan Siaran Pers', 'Fotografi'],
     'Pranata humas; mengelola Info Terbaru di portal e-Office.'),
    ('198401282009032001', array['Kediklatan', 'Kesehatan Masyarakat', 'Fasilitasi Pelatihan'],
     'Widyaiswara di Balai Besar Pelatihan Kesehatan Makassar.'),
    ('198908172014032001', array['Pembelajaran Tematik', 'Literasi Dasar', 'Bahasa Indonesia'],
     'Guru kelas di SD Negeri 1 Jayapura.'),
    ('196804171995031001', array['Kebijakan Kesehatan', 'Manajemen Strategis'], '')
) as v (nip, skills, about)
join employees e on e.nip = v.nip
on conflict (employee_id) do update set skills = excluded.skills, about = excluded.about, updated_at = now()
    where (employee_about.skills, employee_about.about) is distinct from (excluded.skills, excluded.about);

-- Recommendations: author NIP, subject NIP, text, status.
insert into recommendations (author_id, subject_id, body, status, decided_at)
select a.id, s.id, v.body, v.status, case when v.status <> 'pending' then now() end
from (values
    ('197212011997031001', '196905051994031001',
     'Pak Iskandar memimpin dengan teladan: setiap kunjungan ke sekolah beliau mendengarkan guru lebih dulu.', 'accepted'),
    ('198303032009011001', '196905051994031001',
     'Keputusan kepegawaian di dinas selalu jelas dasarnya dan cepat ditandatangani.', 'accepted'),
    ('197504142000032001', '197212011997031001',
     'Pendampingan supervisi akademik Pak Sukardi membuat guru kami berani mencoba Kurikulum Merdeka.', 'accepted'),
    ('198709232012031001', '197504142000032001',
     'Ibu kepala sekolah selalu membuka ruang diskusi dan membagi tugas dengan adil.', 'accepted'),
    ('197504142000032001', '198709232012031001',
     'Pak Ahmad guru yang kreatif; murid kelas V menyukai cara beliau mengajar matematika.', 'pending'),
    ('198611022010121001', '199305212019032001',
     'Dewi teliti menyusun analisis beban kerja dan rapi mendokumentasikan data.', 'accepted'),
    ('199305212019032001', '198611022010121001',
     'Verifikasi PDM oleh Pak Rahmat cepat dan selalu disertai alasan yang jelas.', 'pending'),
    ('197806252003121001', '198807142014031001',
     'Andi menjaga layanan e-Office tetap berjalan bahkan saat jam sibuk presensi pagi.', 'accepted'),
    ('199112192017122001', '198401282009032001',
     'Materi pelatihan Ibu Nurhayati mudah dipahami dan sangat aplikatif.', 'pending')
) as v (author, subject, body, status)
join employees a on a.nip = v.author
join employees s on s.nip = v.subject
on conflict (author_id, subject_id) do update set body = excluded.body, status = excluded.status,
    decided_at = excluded.decided_at, updated_at = now()
    where (recommendations.body, recommendations.status) is distinct from (excluded.body, excluded.status);
