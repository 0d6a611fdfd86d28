#!/usr/bin/env python3
"""Runs sqlmap and wapiti against a real Chorus node with sample data; see bench/security/README.md.

Started by bench/security/run-scanners.sh (which installs the scanners and compiles). Writes the raw outputs
to target/security/<time>/ and prints a summary table (also in summary.md and summary.json there).
"""
import concurrent.futures
import datetime
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
STAMP = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
OUT = pathlib.Path(os.environ.get("SCAN_OUT", ROOT / "target" / "security" / STAMP))
ONLY = os.environ.get("SCAN_ONLY", "")          # sqlmap | wapiti | static | "" (all)
FILTER = os.environ.get("SCAN_FILTER", "")      # regular expression over sqlmap target names
WORKERS = int(os.environ.get("SCAN_WORKERS", "3"))
SQLMAP_LEVEL = os.environ.get("SQLMAP_LEVEL", "3")
SQLMAP_RISK = os.environ.get("SQLMAP_RISK", "3")
SQLMAP_TIMEOUT = int(os.environ.get("SQLMAP_TIMEOUT", "600"))    # seconds per target
WAPITI_TIME = int(os.environ.get("WAPITI_TIME", "900"))          # seconds for the whole wapiti scan

STAFF_USER = "admin"
STAFF_PASSWORD = "scan-staff-password-2026"
FAC_USER = "scan-facilitator"
FAC_PASSWORD = "scan-facilitator-password-2026"


def log(*args):
    print(*args, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the node under test -----------------------------------------------------------------------------

class Node:
    """`mvn -q exec:java` (the README's server, sample data included) on a free port with a fresh data folder."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data = OUT / "data"
        self.proc = None

    def start(self):
        env = dict(os.environ,
                   CHORUS_HTTP_HOST="127.0.0.1",
                   CHORUS_HTTP_PORT=str(self.port),
                   CHORUS_DATA_DIR=str(self.data),
                   CHORUS_AUTH_INITIAL_STAFF_PASSWORD=STAFF_PASSWORD,
                   # The scanners test the queries, not the limiters: with the production limits almost every
                   # request of a scan would be a 429 (10 wrong join codes per 10 minutes, login back-off).
                   CHORUS_AUTH_LOGIN_FAILURES_BEFORE_BACKOFF="100",
                   CHORUS_JOIN_WRONG_CODES_PER_CLIENT="10000",
                   CHORUS_JOIN_WRONG_CODES_GLOBAL_PER_MINUTE="1000000",
                   # Cheaper password hashing and the small language models: a scan sends tens of thousands
                   # of requests on a shared machine.
                   CHORUS_AUTH_PBKDF2_ITERATIONS="1000",
                   CHORUS_LANGUAGE_ACCURACY="low")
        self.logfile = open(OUT / "server.log", "w")
        self.proc = subprocess.Popen(["mvn", "-q", "exec:java"], cwd=ROOT, env=env, stdout=self.logfile,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped at start; see {OUT / 'server.log'}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as r:
                    if json.load(r).get("languageDetection") == "ready":
                        return
            except (OSError, ValueError):
                pass
            time.sleep(1)
        raise SystemExit("the server did not become ready within 300 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        shutil.rmtree(self.data, ignore_errors=True)


def call(base, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw and raw[:1] in b"{[" else raw.decode())
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, (json.loads(raw) if raw[:1] == b"{" else raw.decode())


def expect(status, reply, what):
    if reply[0] != status:
        raise SystemExit(f"{what}: expected {status}, got {reply[0]} {reply[1]}")
    return reply[1]


def fixtures(base):
    """Tokens of the three roles and real ids, so that every request reaches the query behind its route."""
    f = {}
    f["staff"] = expect(200, call(base, "POST", "/api/auth/login", body={"username": STAFF_USER, "password": STAFF_PASSWORD}), "staff login")["token"]
    st = f["staff"]
    fac = expect(201, call(base, "POST", "/api/accounts", st, {"username": FAC_USER, "role": "facilitator", "password": FAC_PASSWORD}), "facilitator account")
    f["facilitatorId"] = fac["account"]["id"]
    other = expect(201, call(base, "POST", "/api/accounts", st, {"username": "scan-other", "role": "facilitator"}), "second account")
    f["otherAccountId"] = other["account"]["id"]
    dialogues = expect(200, call(base, "GET", "/api/dialogues", st), "dialogues")["dialogues"]
    open_ = [d for d in dialogues if d.get("status") == "open" and d.get("joinCode")]
    if not open_:
        raise SystemExit("no open sample dialogue with a join code")
    f["dialogueId"], f["joinCode"] = open_[0]["id"], open_[0]["joinCode"]
    # The finished sample consultation: the one with approved contributions to browse, tag and quote.
    for d in dialogues:
        browse = call(base, "GET", f"/api/report/contributions?dialogues={d['id']}&limit=5", st)
        if browse[0] == 200 and browse[1].get("contributions"):
            f["reportId"] = d["id"]
            f["contributionId"] = browse[1]["contributions"][0]["id"]
            break
    else:
        raise SystemExit("no sample dialogue with approved contributions")
    detail = expect(200, call(base, "GET", f"/api/dialogues/{f['reportId']}", st), "report dialogue")
    f["promptId"] = detail["prompts"][0]["id"]
    # A dialogue of the scan's own for the routes that change state (open, close, edit, assign).
    own = expect(201, call(base, "POST", "/api/dialogues", st, dialogue_body("Scan dialogue")), "scan dialogue")
    f["scanDialogueId"] = own["id"]
    for d in (f["dialogueId"], f["scanDialogueId"], f["reportId"]):
        expect(200, call(base, "PUT", f"/api/dialogues/{d}/facilitators/{f['facilitatorId']}", st), "assign")
    f["facilitator"] = expect(200, call(base, "POST", "/api/auth/login", body={"username": FAC_USER, "password": FAC_PASSWORD}), "facilitator login")["token"]
    f["child"] = expect(201, call(base, "POST", "/api/join", body=join_body(f["joinCode"])), "child join")["token"]
    f["themeId"] = expect(201, call(base, "POST", "/api/themes", st, {"name": "Scan theme"}), "theme")["id"]
    f["themeToDelete"] = expect(201, call(base, "POST", "/api/themes", st, {"name": "Scan theme to delete"}), "theme")["id"]
    return f


def dialogue_body(title):
    return {"title": title, "description": "made by the security scan", "prompts": ["What makes you feel safe?", "Who helps you?"],
            "languages": ["en", "fr"], "moderationMode": "pre", "capacity": 100,
            "helplines": [{"name": "Child helpline", "phone": "116 111", "url": "https://example.org/help"}]}


def join_body(code):
    return {"code": code, "nickname": "Scan Fox", "ageBand": "12-14", "country": "KE", "language": "en", "consent": True}


# ---- sqlmap --------------------------------------------------------------------------------------------

def sqlmap_targets(base, f):
    """Every REST route that takes input, with every input marked: path parameters with *, JSON values
    (sqlmap tests each one), query parameters, and the Authorization header itself."""
    st, fa, ch = f["staff"], f["facilitator"], f["child"]
    d, sd, rd = f["dialogueId"], f["scanDialogueId"], f["reportId"]
    acc, th, c, p = f["facilitatorId"], f["themeId"], f["contributionId"], f["promptId"]
    dlg = json.dumps(dialogue_body("Scan dialogue edited"))
    t = []

    def add(name, method, path, token=None, data=None, extra=(), headers=False):
        # The ordinary headers (User-Agent, Referer; Host at level 5) are read the same way on every route and
        # stored nowhere: they are tested on two routes (headers=True) instead of all of them.
        skip = [] if headers else ["--skip", "User-Agent,Referer,Host"]
        t.append({"name": name, "method": method, "url": base + path, "token": token, "data": data, "extra": list(extra) + skip})

    # public routes
    add("login (json)", "POST", "/api/auth/login", data=json.dumps({"username": "scan-nobody", "password": "wrong-password"}),
        extra=["--ignore-code", "401"], headers=True)  # a wrong password is the normal answer here
    add("join preview (path)", "GET", f"/api/join/{f['joinCode']}*")
    add("join (json)", "POST", "/api/join", data=json.dumps(join_body(f["joinCode"])))
    # the bearer token is input too (every protected route verifies it first)
    add("me: staff token (header)", "GET", "/api/auth/me", extra=["--headers", f"Authorization: Bearer {st}*", "--ignore-code", "401"])
    add("me: child token (header)", "GET", "/api/auth/me", extra=["--headers", f"Authorization: Bearer {ch}*", "--ignore-code", "401"])
    # accounts
    add("create account (json)", "POST", "/api/accounts", st, json.dumps({"username": "scan-new", "role": "facilitator", "password": "scan-password-123456"}))
    # dialogues
    add("create dialogue (json)", "POST", "/api/dialogues", st, dlg)
    add("dialogue (path)", "GET", f"/api/dialogues/{d}*", st)
    add("dialogue as facilitator (path)", "GET", f"/api/dialogues/{d}*", fa)
    add("edit dialogue (path)", "PUT", f"/api/dialogues/{sd}*", st, dlg)
    add("edit dialogue (json)", "PUT", f"/api/dialogues/{sd}", st, dlg)
    add("stats (path)", "GET", f"/api/dialogues/{d}*/stats", st)
    add("stats as facilitator (path)", "GET", f"/api/dialogues/{d}*/stats", fa)
    add("participants (path)", "GET", f"/api/dialogues/{d}*/participants", st)
    add("participants as facilitator (path)", "GET", f"/api/dialogues/{d}*/participants", fa)
    add("open (path)", "POST", f"/api/dialogues/{sd}*/open", st)
    add("close (path)", "POST", f"/api/dialogues/{sd}*/close", st)
    add("assign (path)", "PUT", f"/api/dialogues/{sd}*/facilitators/{f['otherAccountId']}*", st)
    # The first request unassigns / deletes: after it the normal answer is 404, which sqlmap must not take for a missing page.
    add("unassign (path)", "DELETE", f"/api/dialogues/{sd}*/facilitators/{f['otherAccountId']}*", st, extra=["--ignore-code", "404"])
    # moderation
    add("rule tester (json)", "POST", "/api/moderation/check", st, json.dumps({"text": "call me on 0712 345 678", "language": "en", "country": "KE"}))
    add("audit log (path)", "GET", f"/api/dialogues/{rd}*/audit", st)
    # themes, tags, quotes
    add("create theme (json)", "POST", "/api/themes", st, json.dumps({"name": "Scan theme new"}))
    add("rename theme (path+json)", "PUT", f"/api/themes/{th}*", st, json.dumps({"name": "Scan theme*"}))
    add("delete theme (path)", "DELETE", f"/api/themes/{f['themeToDelete']}*", st, extra=["--ignore-code", "404"])
    add("tag (path+json)", "POST", f"/api/themes/{th}*/contributions", st, json.dumps({"contributionIds": [c], "action": "add"}).replace(f"[{c}]", f"[{c}*]").replace('"add"', '"add*"'))
    add("tag as facilitator (path+json)", "POST", f"/api/themes/{th}*/contributions", fa, json.dumps({"contributionIds": [c], "action": "add"}).replace(f"[{c}]", f"[{c}*]").replace('"add"', '"add*"'))
    add("quote (path+json)", "PUT", f"/api/contributions/{c}*/quote", st, json.dumps({"rendering": "A quote*", "renderingLanguage": "en*"}))
    add("unquote (path)", "DELETE", f"/api/contributions/{c}*/quote", st)
    # report (query parameters)
    add("report (query)", "GET", f"/api/report?dialogues={rd}&k=5", st, headers=True)
    add("report browse (query)", "GET", f"/api/report/contributions?dialogues={rd}&prompt={p}&language=en&theme=none&text=safe&before={c + 1}&limit=20", st)
    add("report browse by theme (query)", "GET", f"/api/report/contributions?dialogues={rd}&theme={th}&limit=20", st)
    add("suggestions (query)", "GET", f"/api/report/suggestions?dialogues={rd}", st)
    add("export csv (query)", "GET", f"/api/report/export.csv?dialogues={rd}", st)
    add("export json (query)", "GET", f"/api/report/export.json?dialogues={rd}", st)
    return t


def tested_parameters(output):
    """The parameters sqlmap tested and those it found injectable, from its log."""
    params = sorted(set(re.findall(r"testing for SQL injection on (?:\(custom\) )?(?:\w+ )*parameter '([^']+)'", output)))
    vulnerable = sorted(set(re.findall(r"parameter '([^']+)' (?:is|seems to be) '[^']+' injectable", output)))
    return params, vulnerable


def resummarize(run_dir):
    """Rebuilds summary.md of an earlier run from its summary.json and sqlmap logs (after a parser change)."""
    global OUT, STAMP
    OUT, STAMP = pathlib.Path(run_dir).resolve(), pathlib.Path(run_dir).resolve().name
    data = json.loads((OUT / "summary.json").read_text())
    for r in data["sqlmap"] or []:
        r["params"], r["vulnerable"] = tested_parameters(pathlib.Path(r["log"]).read_text(errors="replace"))
    wapiti = data.get("wapiti")
    if wapiti:
        wapiti["findings"] = {tuple(int(x) if x.isdigit() else x for x in k.split(" / ")): v for k, v in wapiti["findings"].items()}
        log_text = (OUT / "wapiti" / "wapiti.log").read_text(errors="replace")
        found = re.search(r"Wapiti found (\d+) URLs and forms", log_text)
        if found:
            wapiti["crawled"] = int(found.group(1))
    static = (OUT / "static-sql.txt").read_text() if (OUT / "static-sql.txt").exists() else None
    summary(data["sqlmap"] or [], wapiti, static)


def run_sqlmap(target, index):
    slug = f"{index:02d}-" + re.sub(r"[^a-z0-9]+", "-", target["name"].lower()).strip("-")
    out_dir = OUT / "sqlmap" / slug
    out_dir.mkdir(parents=True, exist_ok=True)
    traffic = out_dir / "traffic.txt"
    cmd = ["sqlmap", "-u", target["url"], "--method", target["method"], "--batch", "--flush-session",
           "--dbms=PostgreSQL", f"--level={SQLMAP_LEVEL}", f"--risk={SQLMAP_RISK}", "--time-sec=2",
           "--output-dir", str(out_dir), "-t", str(traffic), "--disable-coloring",
           "--answers", "reduce the number of requests=N"]
    if target["data"] is not None:
        cmd += ["--data", target["data"]]
    if target["token"] and "--headers" not in target["extra"]:
        cmd += ["--headers", f"Authorization: Bearer {target['token']}"]
    cmd += target["extra"]
    started = time.time()
    if STOPPING:
        return None
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    RUNNING.add(proc)
    try:
        output, _ = proc.communicate(timeout=SQLMAP_TIMEOUT)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
        timed_out = True
    finally:
        RUNNING.discard(proc)
    (out_dir / "sqlmap.log").write_text(" ".join(cmd).replace(target["token"] or "\0", "<token>") + "\n\n" + output)
    traffic_text = traffic.read_text(errors="replace") if traffic.exists() else ""
    requests = len(re.findall(r"^HTTP request \[#\d+\]", traffic_text, re.M))
    statuses = {}
    for code in re.findall(r"^HTTP response \[#\d+\] \((\d+)", traffic_text, re.M):
        statuses[code] = statuses.get(code, 0) + 1
    params, vulnerable = tested_parameters(output)
    identified = "sqlmap identified the following injection point" in output
    verdict = "INJECTABLE" if (vulnerable or identified) else ("timeout" if timed_out else
               ("not injectable" if "do not appear to be injectable" in output or "does not seem to be injectable" in output else "error"))
    if traffic.exists() and traffic.stat().st_size > 2_000_000:
        traffic.unlink()  # counted; the full log of a big run is hundreds of MB
    return {"name": target["name"], "method": target["method"], "path": target["url"].split(str(NODE.port), 1)[1],
            "params": params, "requests": requests, "statuses": statuses, "verdict": verdict,
            "vulnerable": vulnerable, "seconds": round(time.time() - started), "log": str(out_dir / "sqlmap.log")}


# ---- wapiti --------------------------------------------------------------------------------------------

# Not ssrf and xxe: they need wapiti's public out-of-band endpoint (and Chorus fetches no URL and parses no XML).
WAPITI_MODULES = "blindsql,sql,xss,permanentxss,exec,file,crlf,redirect,shellshock,methods,backup,csrf,csp,http_headers,cookieflags"


def run_wapiti(base, f):
    rd, c, th, p = f["reportId"], f["contributionId"], f["themeId"], f["promptId"]
    starts = ["/", "/index.html", "/facilitator.html", f"/facilitator.html?dialogue={f['dialogueId']}", "/staff.html",
              f"/report.html?dialogues={rd}", f"/report.html?dialogues={rd}&k=5",
              f"/api/join/{f['joinCode']}", f"/api/report?dialogues={rd}&k=5",
              f"/api/report/contributions?dialogues={rd}&prompt={p}&language=en&theme=none&text=safe&before={c + 1}&limit=20",
              f"/api/report/contributions?dialogues={rd}&theme={th}",
              f"/api/report/suggestions?dialogues={rd}", f"/api/report/export.csv?dialogues={rd}",
              f"/api/report/export.json?dialogues={rd}", f"/api/dialogues/{f['dialogueId']}/stats"]
    out_dir = OUT / "wapiti"
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / "report.json"
    cmd = ["wapiti", "-u", base + "/", "--scope", "folder", "-m", WAPITI_MODULES, "--flush-session",
           "-H", f"Authorization: Bearer {f['staff']}", "-f", "json", "-o", str(report),
           "--max-scan-time", str(WAPITI_TIME), "--max-attack-time", str(WAPITI_TIME // 6), "-d", "5", "--color"]
    for s in starts:
        cmd += ["-s", base + s]
    cmd.remove("--color")
    started = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=WAPITI_TIME + 600, stdin=subprocess.DEVNULL)
    (out_dir / "wapiti.log").write_text(" ".join(cmd).replace(f["staff"], "<token>") + "\n\n" + proc.stdout + proc.stderr)
    result = {"seconds": round(time.time() - started), "exit": proc.returncode, "report": str(report), "findings": {}, "urls": len(starts)}
    found = re.search(r"Wapiti found (\d+) URLs and forms", proc.stdout + proc.stderr)
    if found:
        result["crawled"] = int(found.group(1))
    if report.exists():
        data = json.loads(report.read_text())
        for section in ("vulnerabilities", "anomalies", "additionals"):
            for category, items in (data.get(section) or {}).items():
                for item in items:
                    key = (section, category, item.get("level"))
                    result["findings"].setdefault(key, []).append(f"{item.get('method')} {item.get('path')} {item.get('parameter') or ''}: {item.get('info')}")
    return result


# ---- summary -------------------------------------------------------------------------------------------

def summary(sqlmap_results, wapiti_result, static_result):
    lines = [f"# Security scan {STAMP} (raw outputs: {OUT})", ""]
    if sqlmap_results:
        total = sum(r["requests"] for r in sqlmap_results)
        bad = [r for r in sqlmap_results if r["verdict"] == "INJECTABLE"]
        lines += [f"## sqlmap: {len(sqlmap_results)} targets, {total} requests, {len(bad)} injectable "
                  f"(level {SQLMAP_LEVEL}, risk {SQLMAP_RISK}, PostgreSQL payloads)", "",
                  "| # | route | method | parameters tested | requests | responses | seconds | result |",
                  "|---|---|---|---|---|---|---|---|"]
        for i, r in enumerate(sqlmap_results, 1):
            codes = " ".join(f"{k}:{v}" for k, v in sorted(r["statuses"].items()))
            path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "{id}", r["path"]).split("?")[0]
            lines.append(f"| {i} | {r['name']} `{path}` | {r['method']} | {', '.join(r['params']) or '-'} | {r['requests']} | {codes} | {r['seconds']} | {r['verdict']}{' ' + ','.join(r['vulnerable']) if r['vulnerable'] else ''} |")
        lines.append("")
    if wapiti_result:
        f = wapiti_result["findings"]
        lines += [f"## wapiti: {wapiti_result['seconds']} s, exit {wapiti_result['exit']}, {sum(len(v) for v in f.values())} findings"
                  + (f", {wapiti_result['crawled']} URLs and forms attacked" if "crawled" in wapiti_result else ""), "",
                  "| section | category | level | count | first examples |", "|---|---|---|---|---|"]
        for (section, category, level), items in sorted(f.items(), key=lambda kv: (kv[0][0], -(kv[0][2] or 0), kv[0][1])):
            lines.append(f"| {section} | {category} | {level} | {len(items)} | {' / '.join(x.replace('|', '/') for x in items[:2])[:300]} |")
        lines.append("")
    if static_result:
        lines += ["## static SQL check", "", static_result.strip(), ""]
    text = "\n".join(lines)
    (OUT / "summary.md").write_text(text + "\n")
    (OUT / "summary.json").write_text(json.dumps({"sqlmap": sqlmap_results,
                                                  "wapiti": {**wapiti_result, "findings": {" / ".join(map(str, k)): v for k, v in wapiti_result["findings"].items()}} if wapiti_result else None},
                                                 indent=2))
    log("\n" + text)


NODE = None
RUNNING = set()   # sqlmap processes under way, ended on Ctrl-C / SIGTERM
STOPPING = False


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main():
    global NODE, STOPPING
    signal.signal(signal.SIGTERM, interrupted)
    OUT.mkdir(parents=True, exist_ok=True)
    latest = OUT.parent / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    latest.symlink_to(OUT.name)
    static_result = None
    if ONLY in ("", "static"):
        static_result = subprocess.run([sys.executable, str(ROOT / "bench" / "security" / "check_sql.py")],
                                       capture_output=True, text=True, cwd=ROOT).stdout
        (OUT / "static-sql.txt").write_text(static_result)
        if ONLY == "static":
            summary([], None, static_result)
            return
    NODE = Node()
    log(f"starting Chorus on {NODE.base} (data in {NODE.data}) ...")
    sqlmap_results, wapiti_result = [], None
    try:
        NODE.start()
        f = fixtures(NODE.base)
        log(f"fixtures: open dialogue {f['dialogueId']} (code {f['joinCode']}), report dialogue {f['reportId']}, "
            f"contribution {f['contributionId']}, theme {f['themeId']}; tokens for staff, facilitator and child")
        if ONLY in ("", "sqlmap"):
            targets = [t for t in sqlmap_targets(NODE.base, f) if re.search(FILTER, t["name"], re.I)]
            log(f"sqlmap: {len(targets)} targets, {WORKERS} at a time (level {SQLMAP_LEVEL}, risk {SQLMAP_RISK}) ...")
            pool = concurrent.futures.ThreadPoolExecutor(WORKERS)
            try:
                futures = [pool.submit(run_sqlmap, t, i) for i, t in enumerate(targets, 1)]
                for fut in concurrent.futures.as_completed(futures):
                    r = fut.result()
                    log(f"  {r['verdict']:<15} {r['requests']:>6} requests {r['seconds']:>4} s  {r['name']}")
                sqlmap_results = [fu.result() for fu in futures]
            except KeyboardInterrupt:
                STOPPING = True
                pool.shutdown(wait=False, cancel_futures=True)
                for proc in list(RUNNING):
                    proc.kill()
                raise
            pool.shutdown()
        if ONLY in ("", "wapiti"):
            log(f"wapiti: pages and API query parameters, at most {WAPITI_TIME} s ...")
            wapiti_result = run_wapiti(NODE.base, f)
    finally:
        NODE.stop()
    summary(sqlmap_results, wapiti_result, static_result)
    if any(r["verdict"] == "INJECTABLE" for r in sqlmap_results):
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--resummarize":
        resummarize(sys.argv[2])
    else:
        main()
