#include "core/mail_texts.h"

#include <stdio.h>

const char EO_MAIL_RESET_CODE_SUBJECT[] = "e-Office: kode verifikasi Generate Ulang";

bool eo_mail_text_reset_code(char *out, size_t cap, const char *code, int minutes)
{
    int n = snprintf(out, cap,
                     "Kode verifikasi untuk membuat ulang authenticator e-Office Anda: %s\n"
                     "Kode berlaku %d menit dan hanya dapat dipakai sekali.\n"
                     "Jika Anda tidak memintanya, abaikan e-mail ini dan segera ganti kata sandi Anda.\n",
                     code, minutes);
    return n > 0 && (size_t)n < cap;
}

const char EO_MAIL_RESET_REQUESTED_SUBJECT[] = "e-Office: permintaan Generate Ulang authenticator";
const char EO_MAIL_RESET_REQUESTED_BODY[] =
    "Ada permintaan membuat ulang authenticator untuk akun e-Office Anda. Authenticator lama "
    "tetap berlaku sampai yang baru diverifikasi.\nJika ini bukan Anda, segera ganti kata "
    "sandi dan hubungi admin/helpdesk.\n";

const char EO_MAIL_AUTHENTICATOR_NEW_SUBJECT[] = "e-Office: authenticator baru aktif";
const char EO_MAIL_AUTHENTICATOR_NEW_BODY[] =
    "Authenticator baru untuk akun e-Office Anda telah diaktifkan dan yang lama tidak "
    "berlaku lagi.\nJika ini bukan Anda, segera hubungi admin/helpdesk.\n";

const char EO_MAIL_PASSWORD_CHANGED_SUBJECT[] = "e-Office: kata sandi diganti";
const char EO_MAIL_PASSWORD_CHANGED_BODY[] =
    "Kata sandi akun e-Office Anda baru saja diganti dan sesi lain telah diakhiri.\n"
    "Jika ini bukan Anda, segera hubungi admin/helpdesk.\n";

const char EO_MAIL_ADMIN_RESET_SUBJECT[] = "e-Office: authenticator direset oleh admin";
const char EO_MAIL_ADMIN_RESET_BODY[] =
    "Admin e-Office memulai pembuatan ulang authenticator akun Anda. Authenticator lama tetap "
    "berlaku sampai yang baru diverifikasi.\nJika Anda tidak memintanya, hubungi helpdesk.\n";
