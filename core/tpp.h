/* TPP (Tambahan Penghasilan Pegawai): the rule format and the monthly
 * computation, pure functions (docs/tpp.md).
 *
 * Money is integer rupiah. Percentages are held as basis points (hundredths of
 * a percent: 0.5 % = 50). Every rupiah figure derived from a percentage is
 * rounded once, half up: round(x * bp / 10000) = (x * bp + 5000) / 10000. */
#ifndef EO_CORE_TPP_H
#define EO_CORE_TPP_H

#include <jansson.h>
#include <stdbool.h>

#include "core/presensi_rules.h"
#include "core/status.h"

#define EO_TPP_CLASSES    17 /* kelas jabatan 1..17 */
#define EO_TPP_MAX_AMOUNT 10000000000LL
#define EO_TPP_MAX_DAYS   31
#define EO_TPP_MAX_LINES  (EO_TPP_MAX_DAYS * 2)

/* Absence request kinds (absence_requests.kind). */
enum {
    EO_TPP_ABS_CUTI,
    EO_TPP_ABS_SAKIT,
    EO_TPP_ABS_DINAS_LUAR,
    EO_TPP_ABS_PERJALANAN_DINAS,
    EO_TPP_ABS_TUGAS_BELAJAR,
    EO_TPP_ABS_KINDS
};
/* The kind's index, or -1 for an unknown name. */
int eo_tpp_absence_kind(const char *name);
const char *eo_tpp_absence_name(int kind);

enum { EO_TPP_KINERJA_LKH, EO_TPP_KINERJA_IMPORTED };

/* One rule version, parsed and validated. */
typedef struct {
    int weight_kinerja; /* percent; weight_kinerja + weight_kehadiran == 100 */
    int weight_kehadiran;
    int tl_bp[5];                       /* [1..4]: deduction per TL1..TL4 occurrence, of the kehadiran part */
    int psw_bp[5];                      /* [1..4]: per PSW1..PSW4 */
    int absent_bp;                      /* per absent working day */
    unsigned exempt_mask;               /* bit (1 << kind): approved absences of that kind are no deduction */
    int kinerja_source;                 /* EO_TPP_KINERJA_* */
    int max_deduction_bp;               /* cap of the kehadiran deductions, of the kehadiran part */
    int min_total_bp;                   /* floor of the total, of the base amount */
    long long base[EO_TPP_CLASSES + 1]; /* [1..17] rupiah; -1 = no amount for that class */
    char digest[65];                    /* sha256 hex of the canonical document (set by eo_tpp_rules_parse) */
} eo_tpp_rules;

/* Parses and validates a rule document (docs/tpp.md "Rule format"). Every
 * problem is a field error under "rules." (e.g. "rules.weights" weights_sum_invalid,
 * "rules.deductions.TL" invalid_value); returns EO_ERR_INVALID then. */
eo_status eo_tpp_rules_parse(const json_t *doc, eo_tpp_rules *out, eo_err *err);
/* The canonical document of r (new reference): what is stored and shown. */
json_t *eo_tpp_rules_json(const eo_tpp_rules *r);

/* One calendar day of the month for one employee, as the database sees it. */
typedef struct {
    eo_presensi_day day; /* resolved from the schedule in force that day, holiday, Ramadan */
    bool day_over;       /* the local day has ended (a running or future day is never absent) */
    int in_min, out_min; /* local minutes after approved corrections, or EO_PRESENSI_NONE */
    bool corrected;      /* the row was written by an approved correction */
    bool lkh_approved;   /* an approved LKH exists for the day */
    long long unit_id;   /* unit in force that day (transfers) */
} eo_tpp_day;

/* An approved absence request; dates as days since 1970-01-01 (may reach outside the month). */
typedef struct {
    int kind;
    int from, to;
} eo_tpp_absence;

typedef struct {
    int year, month; /* the month computed */
    int ndays;       /* days of that month; days[0] is the 1st */
    eo_tpp_day days[EO_TPP_MAX_DAYS];
    const eo_tpp_absence *absences;
    int nabsences;
    int class_grade;       /* kelas jabatan, 0 = none */
    bool has_score;        /* imported kinerja score present */
    int score_bp;          /* imported score, 0..10000 */
    long long employee_id; /* part of the fingerprint */
    long long rule_id;     /* 0 = no rule version applies */
    const eo_tpp_rules *rules;
} eo_tpp_input;

enum { EO_TPP_LINE_TL, EO_TPP_LINE_PSW, EO_TPP_LINE_ABSENT };

typedef struct {
    int day;  /* 1..31 */
    int kind; /* EO_TPP_LINE_* */
    int cls;  /* 1..4 for TL/PSW */
    int bp;
    long long amount; /* round(kehadiran_max * bp / 10000) */
} eo_tpp_line;

/* Issues the reviewer must see; the numbers are still computed (as 0 where unknown). */
enum {
    EO_TPP_ISSUE_NO_RULE = 1u << 0,
    EO_TPP_ISSUE_NO_CLASS = 1u << 1,
    EO_TPP_ISSUE_NO_BASE = 1u << 2,
    EO_TPP_ISSUE_NO_SCORE = 1u << 3
};

typedef struct {
    long long base, kinerja_max, kehadiran_max;
    int working_days, exempt_days, absent_days, expected_days, lkh_days;
    int absence_kind[EO_TPP_MAX_DAYS]; /* kind covering day i+1, -1 none */
    int score_bp;
    long long kinerja_amount;
    int nlines;
    eo_tpp_line lines[EO_TPP_MAX_LINES];
    int deduction_bp;           /* sum of the lines' percentages */
    long long deduction_sum;    /* sum of the lines' amounts */
    long long deduction_cap;    /* round(kehadiran_max * max_deduction_bp / 10000) */
    long long deduction_amount; /* min(deduction_sum, deduction_cap) */
    long long kehadiran_amount; /* kehadiran_max - deduction_amount */
    long long floor_amount;     /* round(base * min_total_bp / 10000) */
    bool floor_applied;
    long long total;
    unsigned issues;
    char fingerprint[65]; /* sha256 hex of the canonical inputs */
} eo_tpp_result;

/* Days in a month; days since 1970-01-01 of a civil date. */
int eo_tpp_month_days(int year, int month);
int eo_tpp_days_from_civil(int y, int m, int d);

/* The computation. Never fails on well-formed input; in->ndays must be the month's length. */
void eo_tpp_compute(const eo_tpp_input *in, eo_tpp_result *out);

/* The breakdown a person can check (new reference). */
json_t *eo_tpp_breakdown_json(const eo_tpp_input *in, const eo_tpp_result *r);

/* "TL1".."PSW4", "ABSENT" */
const char *eo_tpp_line_code(const eo_tpp_line *l);

#endif
