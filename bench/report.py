#!/usr/bin/python3
"""Turns the raw outputs of one bench/run into the table, ratios and targets.

usage: report.py RESULTS_DIR     (bench/run calls it; re-run it any time on a saved dir)
Writes RESULTS_DIR/summary.txt and RESULTS_DIR/results.json and prints the summary.
Exit status 1 when the check-in rows in the database do not match what wrk was
answered (the run is then not trustworthy), else 0: targets are only reported.
"""
import json
import pathlib
import re
import sys

TARGET_RATIO = 0.5        # check-ins >= 50 % of the slower storage baseline
TARGET_P99_MS = 200.0     # at 256 connections
TARGET_P99_CONNS = 256
TARGET_RSS_MB = 75.0
TARGET_PEER = 3.0         # check-ins >= 3x the Node peer, same run
TARGET_ME = 0.5           # GET /api/v1/me >= 50 % of GET /healthz


def load_json(p: pathlib.Path):
    try:
        return json.loads(p.read_text())
    except (OSError, ValueError):
        return None


def last_bench_json(p: pathlib.Path):
    """The last "BENCH_JSON {...}" line of a raw output (wrk scripts, photo_inspect), or None."""
    if not p.exists():
        return None
    lines = [l for l in p.read_text().splitlines() if l.startswith("BENCH_JSON ")]
    return json.loads(lines[-1].split(" ", 1)[1]) if lines else None


def pct(sorted_vals, p):
    if not sorted_vals:
        return None
    i = max(0, min(len(sorted_vals) - 1, int(round(p / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[i]


def peer(res: pathlib.Path):
    """conns -> {rps, p99_ms, ...} from ../shared/peer-node's results.txt (workers=1)."""
    out = {}
    p = res / "peer-results.txt"
    if p.exists():
        for line in p.read_text().splitlines():
            kv = dict(x.split("=", 1) for x in line.split() if "=" in x)
            if kv.get("workers") == "1" and "conns" in kv and "rps" in kv:
                out[int(kv["conns"])] = {"rps": float(kv["rps"]), "p99_ms": float(kv.get("p99_ms", "nan")),
                                         "raw": line}
    return out


def pgbench(res: pathlib.Path, c: int, name: str = "pgbench"):
    txt = (res / f"{name}-{c}.txt").read_text() if (res / f"{name}-{c}.txt").exists() else ""
    if not txt or txt.startswith("skipped"):
        return None
    out = {"clients": None, "tps": None, "failed": 0, "aborted_clients": 0, "processed": 0}
    clients = res / f"{name}-{c}.clients"
    if clients.exists():
        out["clients"] = int(clients.read_text().strip())
    m = re.search(r"^tps = ([0-9.]+)", txt, re.M)
    if m:
        out["tps"] = float(m.group(1))
    m = re.search(r"number of transactions actually processed: (\d+)", txt)
    if m:
        out["processed"] = int(m.group(1))
    m = re.search(r"number of failed transactions: (\d+)", txt)
    if m:
        out["failed"] = int(m.group(1))
    out["aborted_clients"] = len(re.findall(r"client \d+ script \d+ aborted", txt))
    lat = []
    log = res / f"{name}-{c}.log"
    if log.exists():
        for line in log.read_text().splitlines():
            f = line.split()
            if len(f) >= 3 and f[2].isdigit():
                lat.append(int(f[2]) / 1000.0)
    lat.sort()
    out["latency_ms"] = {"p50": pct(lat, 50), "p90": pct(lat, 90), "p99": pct(lat, 99), "p999": pct(lat, 99.9)}
    out["errors"] = out["failed"] + out["aborted_clients"]
    return out


def sample_peaks(res: pathlib.Path):
    """Per phase: max VmRSS (MB), max pool in-use, max pool waiting, from samples.tsv
    (ms, rss_kb, hwm_kb, in_use, waiting; "-" when /metrics did not answer)."""
    samples = []
    p = res / "samples.tsv"
    if p.exists():
        for line in p.read_text().splitlines():
            f = line.split("\t")
            if len(f) >= 3 and all(x.isdigit() for x in f[:3]):
                num = lambda x: int(x) if x.isdigit() else None  # noqa: E731
                samples.append((int(f[0]), int(f[1]), int(f[2]),
                                num(f[3]) if len(f) > 3 else None, num(f[4]) if len(f) > 4 else None))
    phases = {}
    p = res / "phases.tsv"
    if p.exists():
        for line in p.read_text().splitlines():
            f = line.split("\t")
            if len(f) == 3:
                phases[f[0]] = (int(f[1]), int(f[2]))
    per_phase = {}
    for name, (a, b) in phases.items():
        inside = [x for x in samples if a <= x[0] <= b + 500]
        rss = [x[1] for x in inside]
        use = [x[3] for x in inside if x[3] is not None]
        wait = [x[4] for x in inside if x[4] is not None]
        per_phase[name] = {"rss_mb": max(rss) / 1024.0 if rss else None,
                           "pool_in_use_max": max(use) if use else None,
                           "pool_waiting_max": max(wait) if wait else None}
    peak_sampled = max((x[1] for x in samples), default=0) / 1024.0
    return per_phase, peak_sampled


def metrics_gauges(res: pathlib.Path):
    g = {}
    p = res / "metrics.txt"
    if p.exists():
        for line in p.read_text().splitlines():
            m = re.match(r"^(eoffice_(?:db_pool|session_cache|profile_cache)_\w+) (\S+)$", line)
            if m:
                g[m.group(1)] = float(m.group(2))
    return g


def fmt(v, nd=1):
    if v is None:
        return "-"
    return f"{v:,.{nd}f}"


def fmtx(v):
    return "-" if v is None else f"{v:,.2f}x"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def main() -> int:
    res = pathlib.Path(sys.argv[1])
    meta = load_json(res / "meta.json") or {}
    tokens = load_json(res / "bench-tokens.json") or {}
    conns = meta.get("connections", [])
    per_phase, peak_sampled = sample_peaks(res)
    hwm_kb = int((res / "vmhwm_kb").read_text().strip() or 0) if (res / "vmhwm_kb").exists() else 0
    hwm_mb = hwm_kb / 1024.0 if hwm_kb else peak_sampled
    # bench/run resets VmHWM once the server answers (clear_refs 5): hwm_mb is then
    # the peak after start-up; the start-up's own peak is kept beside it.
    def _read(name):
        f = res / name
        return f.read_text().strip() if f.exists() else ""
    hwm_reset = _read("vmhwm_reset") == "1"
    startup_mb = int(_read("startup_vmhwm_kb") or 0) / 1024.0
    gauges = metrics_gauges(res)
    peers = peer(res)

    out = []
    w = out.append
    mode = "thread per connection" if not meta.get("http_threads") else f"epoll pool of {meta['http_threads']}"
    w(f"e-Office check-in benchmark  {meta.get('stamp', '?')}  (git {meta.get('git', '?')}, "
      f"{meta.get('nproc', '?')} CPUs, kernel {meta.get('kernel', '?')})")
    w(f"{meta.get('employees')} employees (location {tokens.get('location')}, {tokens.get('time_zone')}), "
      f"{meta.get('duration_s')} s per phase, wrk {meta.get('wrk_threads')} threads; server: {mode}, "
      f"db pool {meta.get('db_pool')}")
    w(f"photo {meta.get('photo_bytes')} B JPEG per check-in (distinct bytes each), fs storage on "
      f"{meta.get('storage_fs')}, Idempotency-Key {'sent' if meta.get('idempotency_key') else 'not sent'}, "
      f"PostgreSQL max_connections {meta.get('pg_max_connections')}, commit_delay/siblings "
      f"{meta.get('pg_commit_delay_siblings', '-')}")
    w("")
    hdr = f"{'conns':>5}  {'phase':<40} {'per s':>10} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'peak RSS':>9}"
    w(hdr)
    w("-" * len(hdr))

    results = {"meta": meta, "bench_tokens": tokens, "phases": {}, "targets": {}}
    landed_ok = True
    notes = []
    for c in conns:
        hz = load_json(res / f"healthz-{c}.json")
        ci = load_json(res / f"checkin-{c}.json")
        pg = pgbench(res, c)
        fl = pgbench(res, c, "pgfloor")
        fs = load_json(res / f"fsync-{c}.json")
        mee = load_json(res / f"me-{c}.json")
        up = load_json(res / f"upload-{c}.json")

        def wrk_row(name, d, phase):  # phase None: not our server (no RSS of it)
            if not d:
                w(f"{c:>5}  {name:<40} {'(missing)':>10}")
                return
            errs = d["socket_errors"]["total"] + d["non2xx"]
            rss = per_phase.get(phase, {}).get("rss_mb") if phase else None
            w(f"{c:>5}  {name:<40} {fmt(d['rps']):>10} {fmt(d['latency_ms']['p50'], 2):>9} "
              f"{fmt(d['latency_ms']['p99'], 2):>9} {errs:>7} {fmt(rss) + ' MB' if rss else '-':>9}")

        wrk_row("GET /healthz (bare in-process JSON)", hz, f"healthz-{c}")
        wrk_row("GET /api/v1/me (bearer, session cache)", mee, f"me-{c}")
        wrk_row("POST check-in (multipart selfie)", ci, f"checkin-{c}")
        if fl:
            w(f"{c:>5}  {'FLOOR pgbench: 1 INSERT/tx, ' + str(fl['clients']) + ' clients':<40} {fmt(fl['tps']):>10} "
              f"{fmt(fl['latency_ms']['p50'], 2):>9} {fmt(fl['latency_ms']['p99'], 2):>9} {fl['errors']:>7}")
        else:
            w(f"{c:>5}  {'FLOOR pgbench: 1 INSERT/tx':<40} {'(skipped)':>10}")
        if pg:
            w(f"{c:>5}  {'(current write set, not a floor) ' + str(pg['clients']):<40} {fmt(pg['tps']):>10} "
              f"{fmt(pg['latency_ms']['p50'], 2):>9} {fmt(pg['latency_ms']['p99'], 2):>9} {pg['errors']:>7}")
        else:
            w(f"{c:>5}  {'(current write set)':<40} {'(skipped)':>10}")
        if fs:
            w(f"{c:>5}  {'FLOOR fsync photo writes, ' + str(fs['threads']) + ' thr':<40} {fmt(fs['ops_per_s']):>10} "
              f"{fmt(fs['p50_ms'], 2):>9} {fmt(fs['p99_ms'], 2):>9} {fs['errors']:>7}")
        else:
            w(f"{c:>5}  {'fsync photo writes':<40} {'(missing)':>10}")
        wrk_row("CEILING bare HTTP upload (no work)", up, None)
        pe = peers.get(c)
        if pe:
            w(f"{c:>5}  {'Node peer (Fastify+pg, 1 worker)':<40} {fmt(pe['rps']):>10} {'-':>9} {fmt(pe['p99_ms'], 2):>9}")

        # Did the answered check-ins land?
        land = None
        rows_p = res / f"checkin-{c}.rows"
        if ci and rows_p.exists():
            f = rows_p.read_text().split()
            if len(f) == 4:
                rows, outs, today, pending = (int(x) for x in f)
                s201 = ci["statuses"].get("201", 0)
                s200 = ci["statuses"].get("200", 0)
                ok = s201 <= rows <= ci["sent_check_in"] and s200 <= outs <= ci["sent_check_out"]
                landed_ok = landed_ok and ok
                land = {"rows": rows, "rows_today": today, "check_outs_recorded": outs, "answered_201": s201,
                        "answered_200": s200, "sent_check_in": ci["sent_check_in"],
                        "sent_check_out": ci["sent_check_out"], "photos_pending": pending, "ok": ok}
                if today != rows:
                    notes.append(f"{c}: {rows - today} rows are dated another day (local midnight during the run?)")
        if pg is not None and not pg["tps"]:
            notes.append(f"{c}: pgbench completed no transaction (see pgbench-{c}.txt)")
            pg = None
        if fl is not None and not fl["tps"]:
            fl = None
        results["phases"][str(c)] = {"healthz": hz, "me": mee, "checkin": ci, "pgbench_write_set": pg,
                                     "pgbench_floor": fl, "fsync": fs, "upload_ceiling": up, "peer": pe,
                                     "landed": land}

    w("")
    w("ratios: check-in / baseline      vs healthz  vs pg floor    vs fsync   vs upload")
    for c in conns:
        ph = results["phases"][str(c)]
        ci, hz, pg, fs, up = ph["checkin"], ph["healthz"], ph["pgbench_floor"], ph["fsync"], ph["upload_ceiling"]
        if not ci:
            continue
        base_rps = {"hz": hz and hz["rps"], "pg": pg and pg["tps"], "fs": fs and fs["ops_per_s"], "up": up and up["rps"]}
        base = {
            "p50": {"hz": hz and hz["latency_ms"]["p50"], "pg": pg and pg["latency_ms"]["p50"], "fs": fs and fs["p50_ms"],
                    "up": up and up["latency_ms"]["p50"]},
            "p99": {"hz": hz and hz["latency_ms"]["p99"], "pg": pg and pg["latency_ms"]["p99"], "fs": fs and fs["p99_ms"],
                    "up": up and up["latency_ms"]["p99"]},
        }
        r_tp = {k: ratio(ci["rps"], v) for k, v in base_rps.items()}
        r_50 = {k: ratio(ci["latency_ms"]["p50"], v) for k, v in base["p50"].items()}
        r_99 = {k: ratio(ci["latency_ms"]["p99"], v) for k, v in base["p99"].items()}
        cols = ("hz", "pg", "fs", "up")
        w(f"{c:>5}  throughput             " + "  ".join(f"{fmt(r_tp[k], 3):>{11 if k == 'hz' else 10}}" for k in cols))
        w(f"{c:>5}  p50 latency            " + "  ".join(f"{fmtx(r_50[k]):>{11 if k == 'hz' else 10}}" for k in cols))
        w(f"{c:>5}  p99 latency            " + "  ".join(f"{fmtx(r_99[k]):>{11 if k == 'hz' else 10}}" for k in cols))
        ph["ratios"] = {"throughput": r_tp, "p50": r_50, "p99": r_99}

    # The photo check's CPU per photo (bench/photo_inspect, run alone before the
    # server started): with nothing else on the machine, nproc cores could check
    # at most nproc * 1000 / p50 photos a second. No check-in design that checks
    # every photo before answering goes faster.
    inspect = last_bench_json(res / "photo_inspect.txt")
    if inspect:
        cpus = meta.get("nproc") or 1
        inspect["cpus"] = cpus
        inspect["ceiling_per_s"] = cpus * 1000.0 / inspect["inspect_p50_ms"] if inspect["inspect_p50_ms"] else None
        results["photo_check"] = inspect
        w("")
        w(f"photo check (core/photo.c: marker walk + full libjpeg-turbo decode at 1/8 scale), alone on an idle "
          f"machine: {inspect['inspect_p50_ms']:.3f} ms p50 per {inspect['width']}x{inspect['height']} photo "
          f"(SHA-256 of it: {inspect['sha256_p50_ms']:.3f} ms) -> at most {fmt(inspect['ceiling_per_s'], 0)} "
          f"checks/s on {cpus} CPUs with nothing else running")
    w("")
    for c in conns:
        hz_rss = per_phase.get(f"healthz-{c}", {}).get("rss_mb")
        ci_p = per_phase.get(f"checkin-{c}", {})
        r = ratio(ci_p.get("rss_mb"), hz_rss)
        results["phases"][str(c)]["server_samples"] = {"healthz": per_phase.get(f"healthz-{c}"), "checkin": ci_p}
        w(f"server @{c}: peak VmRSS {fmt(ci_p.get('rss_mb'))} MB during check-ins = {fmt(r, 2)}x the /healthz phase; "
          f"db pool max in use {ci_p.get('pool_in_use_max', '-')} of {meta.get('db_pool')}, "
          f"max waiting {ci_p.get('pool_waiting_max', '-')}")
    cold = last_bench_json(res / "warmup-me.txt")
    if cold:
        results["me_warmup_cold"] = cold
        w(f"GET /api/v1/me warm-up (16 connections, caches cold: each session's first request queries twice): "
          f"{cold['rps']:,.0f}/s, p50 {cold['latency_ms']['p50']:.2f} ms, p99 {cold['latency_ms']['p99']:.2f} ms, "
          f"{cold.get('requests', '-')} requests; the /me phases above are the steady state")
    for c in conns:
        land = results["phases"][str(c)]["landed"]
        if land:
            extra = land["rows"] - land["answered_201"]
            w(f"check-ins landed @{c}: {land['rows']} attendance rows for {land['answered_201']} answered 201 "
              f"(+{extra} finished after wrk stopped, {land['sent_check_in']} sent); check-outs recorded "
              f"{land['check_outs_recorded']} for {land['answered_200']} answered 200 -> {'OK' if land['ok'] else 'MISMATCH'}")
    for n in notes:
        w(f"note: {n}")
    w(f"server peak RSS: VmHWM {fmt(hwm_mb)} MB "
      + (f"after start-up (start-up itself peaked at {fmt(startup_mb)} MB)" if hwm_reset else "including start-up")
      + f" (sampled VmRSS max {fmt(peak_sampled)} MB)")
    pool = {k: v for k, v in gauges.items() if k.startswith("eoffice_db_pool_")}
    if pool:
        w("db pool gauges at the end (/metrics): " + ", ".join(f"{k.replace('eoffice_db_pool_', '')} {v:g}" for k, v in sorted(pool.items())))
    caches = {k: v for k, v in gauges.items() if k.endswith("_total") and "_cache_" in k}
    if caches:
        # the whole run: every session's and profile's first /me is a miss (warm-up),
        # and a check-in (the employee's own write) drops their cached profile
        w("caches over the run (/metrics): " + ", ".join(
            f"{k.replace('eoffice_', '').replace('_total', '')} {v:,.0f}" for k, v in sorted(caches.items())))
    drift = (res / "sql_drift.txt").read_text().strip() if (res / "sql_drift.txt").exists() else ""
    if "WARNING" in drift:
        w("note: " + drift.replace("sql_drift: ", ""))

    # ---- targets (reported, not asserted)
    w("")
    w("targets (printed, not asserted)")
    t = results["targets"]
    parts, ok_all = [], True
    for c in conns:
        ph = results["phases"][str(c)]
        ci, pg, fs = ph["checkin"], ph["pgbench_floor"], ph["fsync"]
        floors = [(n, v) for n, v in (("pg floor", pg and pg["tps"]), ("fsync", fs and fs["ops_per_s"])) if v]
        if not ci or not floors:
            parts.append(f"@{c}: n/a")
            ok_all = False
            continue
        name, floor = min(floors, key=lambda x: x[1])
        r = ci["rps"] / floor
        ok_all = ok_all and r >= TARGET_RATIO
        parts.append(f"@{c}: {r:.2f} of {name} ({ci['rps']:.0f}/s vs {floor:.0f}/s; needs {TARGET_RATIO * floor:.0f}/s)")
    t["throughput_vs_storage"] = ok_all
    w(f"  [{'PASS' if ok_all else 'FAIL'}] check-ins >= {TARGET_RATIO:.0%} of the slower floor: " + "; ".join(parts))

    parts, ok_all = [], bool(conns)
    for c in conns:
        ph = results["phases"][str(c)]
        r = ratio(ph["checkin"] and ph["checkin"]["rps"], ph["peer"] and ph["peer"]["rps"])
        ok_all = ok_all and r is not None and r >= TARGET_PEER
        need = f"; needs {TARGET_PEER * ph['peer']['rps']:.0f}/s" if ph["peer"] else ""
        parts.append(f"@{c}: {fmt(r, 2)}x{need}")
    t["vs_node_peer"] = ok_all
    w(f"  [{'PASS' if ok_all else 'FAIL'}] check-ins >= {TARGET_PEER:.0f}x the Node peer: " + "; ".join(parts))
    if inspect and inspect.get("ceiling_per_s"):
        w(f"         (the photo check alone allows at most {inspect['ceiling_per_s']:,.0f}/s on this machine)")

    parts, ok_all = [], bool(conns)
    for c in conns:
        ph = results["phases"][str(c)]
        r = ratio(ph["me"] and ph["me"]["rps"], ph["healthz"] and ph["healthz"]["rps"])
        errs_me = ph["me"] and ph["me"]["socket_errors"]["total"] + ph["me"]["non2xx"]
        ok_all = ok_all and r is not None and r >= TARGET_ME and errs_me == 0
        parts.append(f"@{c}: {fmt(r, 2)} ({fmt(ph['me'] and ph['me']['rps'], 0)}/s, {errs_me} errors)")
    t["me_vs_healthz"] = ok_all
    w(f"  [{'PASS' if ok_all else 'FAIL'}] GET /api/v1/me >= {TARGET_ME:.0%} of GET /healthz: " + "; ".join(parts))

    c99 = TARGET_P99_CONNS if TARGET_P99_CONNS in conns else (max(conns) if conns else None)
    ci = results["phases"].get(str(c99), {}).get("checkin") if c99 is not None else None
    p99 = ci["latency_ms"]["p99"] if ci else None
    ok = p99 is not None and p99 < TARGET_P99_MS and c99 == TARGET_P99_CONNS
    t["p99_at_256"] = ok
    note = "" if c99 == TARGET_P99_CONNS else f" (no {TARGET_P99_CONNS}-connection phase; shown @{c99})"
    w(f"  [{'PASS' if ok else 'FAIL'}] check-in p99 < {TARGET_P99_MS:.0f} ms at {TARGET_P99_CONNS} connections: "
      f"{fmt(p99, 1)} ms{note}")

    errs = []
    for c in conns:
        ci = results["phases"][str(c)]["checkin"]
        if ci:
            errs.append((c, ci["socket_errors"]["total"], ci["non2xx"], ci["statuses"]))
    ok = bool(errs) and all(s == 0 and n == 0 for _, s, n, _ in errs) and landed_ok
    t["zero_errors"] = ok
    w(f"  [{'PASS' if ok else 'FAIL'}] zero check-in errors (socket + non-2xx, every answer landed): "
      + "; ".join(f"@{c}: {s} socket, {n} non-2xx {json.dumps(st, sort_keys=True)}" for c, s, n, st in errs))

    ok = hwm_mb > 0 and hwm_mb < TARGET_RSS_MB
    t["rss"] = ok
    w(f"  [{'PASS' if ok else 'FAIL'}] server RSS < {TARGET_RSS_MB:.0f} MB: VmHWM {fmt(hwm_mb)} MB"
      + (" after start-up" if hwm_reset else " including start-up"))

    results["server_vmhwm_mb"] = hwm_mb
    results["server_vmhwm_after_startup"] = hwm_reset
    results["server_startup_vmhwm_mb"] = startup_mb
    results["server_rss_sampled_max_mb"] = peak_sampled
    results["db_pool_gauges"] = gauges
    results["landed_ok"] = landed_ok
    text = "\n".join(out) + "\n"
    (res / "summary.txt").write_text(text)
    (res / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    sys.stdout.write(text)
    sys.stdout.write(f"\nraw outputs, summary.txt and results.json: {res}\n")
    return 0 if landed_ok else 1


if __name__ == "__main__":
    sys.exit(main())
