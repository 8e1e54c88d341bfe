#include "api/messages.h"

#include <string.h>

/* One line per stable machine code. Keep codes snake_case and never rename one:
 * clients switch on them. */
static const eo_message messages[] = {
    /* generic codes */
    {"bad_request", "Permintaan tidak valid", "Bad request"},
    {"malformed_json", "Isi permintaan bukan JSON yang valid", "The request body is not valid JSON"},
    {"json_object_expected", "Isi permintaan harus berupa objek JSON", "The request body must be a JSON object"},
    {"unsupported_media_type", "Jenis konten tidak didukung", "Unsupported media type"},
    {"payload_too_large", "Ukuran permintaan melebihi batas", "The request is too large"},
    {"not_found", "Sumber daya tidak ditemukan", "Resource not found"},
    {"method_not_allowed", "Metode tidak diizinkan untuk alamat ini", "Method not allowed for this resource"},
    {"validation_failed", "Data yang dikirim tidak valid", "The submitted data is invalid"},
    {"unauthorized", "Autentikasi diperlukan", "Authentication required"},
    {"forbidden", "Anda tidak berhak mengakses sumber daya ini", "You are not allowed to access this resource"},
    {"conflict", "Data bertentangan dengan data yang sudah ada", "The data conflicts with existing data"},
    {"too_many_requests", "Terlalu banyak permintaan, coba lagi nanti", "Too many requests, try again later"},
    {"db_busy", "Server sedang sibuk, coba lagi sebentar", "The server is busy, try again shortly"},
    {"db_unavailable", "Basis data sedang tidak tersedia", "The database is unavailable"},
    {"busy", "Server sedang sibuk, coba lagi sebentar", "The server is busy, try again shortly"},
    {"internal", "Terjadi kesalahan pada server", "Internal server error"},
    {"cors_origin_denied", "Asal permintaan tidak diizinkan", "Origin not allowed"},
    {"invalid_cursor", "Kursor halaman tidak valid", "Invalid paging cursor"},
    {"schema_not_current", "Skema basis data belum mutakhir", "The database schema is not current"},
    /* field codes */
    {"missing_field", "Wajib diisi", "This field is required"},
    {"invalid_type", "Tipe data salah", "Wrong data type"},
    {"invalid_value", "Nilai tidak valid", "Invalid value"},
    {"too_long", "Terlalu panjang", "Too long"},
    {"out_of_range", "Di luar rentang yang diizinkan", "Out of range"},
    {"unknown_field", "Kolom tidak dikenal", "Unknown field"},
    /* master data codes */
    {"nip_format", "NIP harus 18 digit angka", "NIP must be 18 digits"},
    {"nip_birth_date", "Tanggal lahir pada NIP tidak valid", "The birth date in the NIP is invalid"},
    {"nip_tmt", "TMT CPNS pada NIP tidak valid", "The appointment date in the NIP is invalid"},
    {"nip_gender", "Kode jenis kelamin pada NIP tidak valid", "The gender digit in the NIP is invalid"},
    {"nip_sequence", "Nomor urut pada NIP tidak valid", "The sequence number in the NIP is invalid"},
    {"nik_format", "NIK harus 16 digit angka", "NIK must be 16 digits"},
    {"nik_region", "Kode wilayah pada NIK tidak valid", "The region code in the NIK is invalid"},
    {"nik_birth_date", "Tanggal lahir pada NIK tidak valid", "The birth date in the NIK is invalid"},
    {"nik_sequence", "Nomor urut pada NIK tidak valid", "The sequence number in the NIK is invalid"},
    /* identity codes */
    /* presensi codes */
    {"web_presensi_disabled", "Presensi melalui web tidak diaktifkan", "Attendance from the web is disabled"},
    {"outside_geofence", "Anda berada di luar radius lokasi kerja", "You are outside the work location radius"},
    {"poor_accuracy", "Akurasi GPS terlalu rendah, coba lagi di tempat terbuka", "GPS accuracy is too poor; try again in the open"},
    {"idempotency_key_reused", "Idempotency-Key sudah dipakai untuk permintaan lain", "The Idempotency-Key was already used for a different request"},
    {"idempotency_key_invalid", "Idempotency-Key tidak valid", "Invalid Idempotency-Key"},
    {"already_checked_in", "Anda sudah absen masuk hari ini", "You have already checked in today"},
    {"already_checked_out", "Anda sudah absen pulang hari ini", "You have already checked out today"},
    {"not_checked_in", "Anda belum absen masuk hari ini", "You have not checked in today"},
    {"device_time_skew", "Jam perangkat Anda tidak sesuai, periksa pengaturan tanggal dan jam", "Your device clock is wrong; check its date and time"},
    {"device_mismatch", "Perangkat ini tidak terdaftar untuk sesi Anda", "This device is not the one bound to your session"},
    {"app_update_required", "Perbarui aplikasi E-Office ke versi terbaru", "Please update the E-Office app"},
    {"storage_unavailable", "Penyimpanan foto sedang tidak tersedia, coba lagi nanti", "Photo storage is unavailable; try again later"},
    {"storage_config", "Konfigurasi penyimpanan foto salah", "Photo storage is misconfigured"},
    {"multipart_required", "Kirim sebagai multipart/form-data", "Send the request as multipart/form-data"},
    {"photo_required", "Foto wajib diunggah", "A photo is required"},
    {"photo_too_small", "Ukuran foto terlalu kecil", "The photo is too small"},
    {"photo_unsupported_type", "Foto harus berformat JPEG atau PNG", "The photo must be a JPEG or PNG image"},
    {"photo_corrupt", "Berkas foto rusak", "The photo file is corrupt"},
    {"photo_not_found", "Foto tidak ditemukan", "Photo not found"},
    {"no_work_location", "Lokasi kerja Anda belum diatur", "Your work location is not set"},
    {"employee_not_found", "Pegawai tidak ditemukan", "Employee not found"},
    {"location_not_found", "Lokasi kantor tidak ditemukan", "Office location not found"},
    {"extra_location_not_found", "Lokasi tambahan tidak ditemukan", "Extra location not found"},
    {"correction_not_found", "Pengajuan koreksi tidak ditemukan", "Correction request not found"},
    {"correction_not_pending", "Pengajuan koreksi sudah diputuskan", "The correction request was already decided"},
    {"correction_exists", "Masih ada pengajuan koreksi untuk tanggal ini", "A correction request for this date is still pending"},
    {"correction_future_date", "Koreksi hanya untuk hari yang sudah lewat atau hari ini", "Corrections are only for today or past days"},
    {"not_supervisor", "Hanya atasan langsung yang dapat melakukan ini", "Only the supervisor can do this"},
    {NULL, NULL, NULL},
};

const char *eo_message_title(const char *code, bool en)
{
    if (!code) return NULL;
    for (const eo_message *m = messages; m->code; m++)
        if (strcmp(m->code, code) == 0) return en ? m->en : m->id;
    return NULL;
}

const eo_message *eo_messages(void) { return messages; }
