"""The benchmark of issue #14: the portal beside a bare Reflex app (the floor), both in
production mode, measured in one run and printed as ratios (not a test).

    .venv/bin/python bench/run.py [--only click,server,users,logins,memory,scaled]
        [--users 50,100,200,500] [--products 1000000] [--reps 30] [--runs 50]
    .venv/bin/python bench/run.py --only tickets,jobs [--pages 1000] [--job-users 50]

Phases (README, "Benchmarks"):
- click: Chromium; in the page, from the click/keystroke to the DOM showing the result;
- server: one socket.io client, one event at a time, round trip to the update;
- users: N socket.io clients, each with its own session, paging without pause;
- logins: 2 logins/s (password checked by the server) while 50 users page;
- memory: the backend's RSS with 200 connected tabs, and after they close;
- tickets (not in the default set, about 6 minutes): the server's CPU with 1,000 idle
  ticket pages open (their live watch running), and with one page that sends 400 `watch`
  events against one that does not;
- jobs (not in the default set, about 2 minutes): 50 users page while the daily reminder
  job queues 10,000 reminders in a process of its own, against the same users without it;
- scaled (not in the default set): users again on one, then
  two portal workers with Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import servers  # noqa: E402

PHASES = ("click", "server", "users", "logins", "memory")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default=",".join(PHASES), help="phases, comma-separated")
    parser.add_argument(
        "--users", default="50,100,200,500", help="concurrent users, comma-separated"
    )
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=30, help="repetitions of each browser event")
    parser.add_argument("--runs", type=int, default=50, help="round trips of each event (server)")
    parser.add_argument(
        "--seconds", type=float, default=15.0, help="measured seconds per load step"
    )
    parser.add_argument("--memory-tabs", type=int, default=200)
    parser.add_argument("--login-rate", type=float, default=2.0)
    parser.add_argument("--login-users", type=int, default=50)
    parser.add_argument("--pages", type=int, default=1000, help="idle ticket pages (tickets)")
    parser.add_argument("--watch-events", type=int, default=400, help="from one page (tickets)")
    parser.add_argument(
        "--idle-seconds", type=float, default=30.0, help="CPU window of the tickets phase"
    )
    parser.add_argument("--job-users", type=int, default=50, help="users paging (jobs)")
    parser.add_argument(
        "--job-due", type=int, default=10_000, help="products made due for D-30 (jobs)"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5", help="for the scaled phase")
    return parser.parse_args()


def main() -> None:
    args = parse()
    only = [p.strip() for p in args.only.split(",") if p.strip()]
    user_counts = [int(n) for n in args.users.split(",") if n.strip()]
    work = Path(tempfile.mkdtemp(prefix="o2bench-run-"))
    db = work / "portal.db"
    os.environ["O2PORTAL_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["O2PORTAL_SECRET_KEY"] = servers.SECRET
    os.environ["O2PORTAL_DATA_DIR"] = str(work / "data")
    from bench.harness import data

    started = time.perf_counter()
    portal_data = data.portal_db(args.products, db)
    floor_db = data.floor_db(work / "floor.db")
    how = (
        f"built in {portal_data.built_seconds:.0f} s"
        if portal_data.built_seconds
        else "copied from cache"
    )
    print(f"o2bench: work dir {work}", flush=True)
    print(
        f"data: {args.products:,} products ({how}, {data.CACHE}), bench customer "
        f"{data.BENCH_PRODUCTS:,} products, ticket of {data.THREAD_MESSAGES} messages",
        flush=True,
    )

    need_users = max([*user_counts, args.login_users, args.memory_tabs, args.job_users, 1])
    others = data.customer_ids(db, [data.other_email(i) for i in range(need_users)])
    user_cookies = ["o2p_session=" + t for t in data.add_sessions(db, others, "user")]
    bench_token = data.add_sessions(db, [portal_data.bench_customer_id], "bench")[0]
    product_id = _first_product(db, portal_data.bench_customer_id)

    floor_port, portal_port = servers.free_port(), servers.free_port()
    floor = servers.start(
        "floor",
        servers.FLOOR_DIR,
        {"FLOOR_DB": str(floor_db), "FLOOR_BASE_URL": f"http://localhost:{floor_port}"},
        floor_port,
        work / "floor.log",
    )
    portal = servers.start(
        "portal",
        servers.ROOT,
        servers.portal_env(work, db, portal_port),
        portal_port,
        work / "portal.log",
    )
    results: dict = {}
    try:
        servers.wait_ready(floor)
        servers.wait_ready(portal)
        print(
            f"servers up after {time.perf_counter() - started:.0f} s: "
            f"floor {floor.url}, portal {portal.url}",
            flush=True,
        )
        time.sleep(10)  # the portal runs its jobs at start, then every minute
        ids = {"ticket": portal_data.ticket_id, "product": product_id}
        if "click" in only:
            print("click → DOM …", flush=True)
            results["click"] = _click(
                floor.url, portal.url, bench_token, ids, portal_data, floor_db, args.reps
            )
            print(
                _click_table(results["click"], "Click → DOM updated (Chromium, in-page)"),
                flush=True,
            )
        if "server" in only:
            print("server time per event …", flush=True)
            from bench.harness import load

            results["server"] = asyncio.run(
                load.server_times(
                    floor.url, portal.url, "o2p_session=" + bench_token, ids, args.runs
                )
            )
            print(
                _click_table(
                    results["server"], "Server time per event (one socket.io client, round trip)"
                ),
                flush=True,
            )
        if "users" in only:
            print("concurrent users …", flush=True)
            results["users"] = _users(floor, portal, user_cookies, user_counts, args.seconds)
            print(_users_table(results["users"]), flush=True)
        if "logins" in only:
            print("logins under load …", flush=True)
            results["logins"] = _logins(portal, user_cookies[: args.login_users], args)
            print(_logins_table(results["logins"], args), flush=True)
        if "memory" in only:
            print("memory per tab …", flush=True)
            results["memory"] = _memory(floor, portal, user_cookies[: args.memory_tabs])
            print(_memory_table(results["memory"]), flush=True)
        if "tickets" in only:
            print("open ticket pages …", flush=True)
            results["tickets"] = _tickets(
                floor, portal, "o2p_session=" + bench_token, portal_data.ticket_id, args
            )
            print(_tickets_tables(results["tickets"], args), flush=True)
        if "jobs" in only:  # last: it changes the products' expiry dates
            print("users during the reminder job …", flush=True)
            results["jobs"] = _jobs(
                work, db, portal, user_cookies[: args.job_users], portal_data, args
            )
            print(_jobs_table(results["jobs"]), flush=True)
    finally:
        floor.stop()
        portal.stop()
    if "scaled" in only:
        print("two portal workers with Redis …", flush=True)
        results["scaled"] = _scaled(work, db, user_cookies, user_counts, args)
    print()
    print("=" * 100)
    print(
        f"o2bench summary ({args.products:,} products, {os.cpu_count()} cores), "
        f"{time.strftime('%Y-%m-%d %H:%M')}, {time.perf_counter() - started:.0f} s"
    )
    if "click" in results:
        print(_click_table(results["click"], "Click → DOM updated (Chromium, in-page, ms)"))
    if "server" in results:
        print(_click_table(results["server"], "Server time per event (socket.io round trip, ms)"))
    if "users" in results:
        print(_users_table(results["users"]))
    if "logins" in results:
        print(_logins_table(results["logins"], args))
    if "memory" in results:
        print(_memory_table(results["memory"]))
    if "tickets" in results:
        print(_tickets_tables(results["tickets"], args))
    if "jobs" in results:
        print(_jobs_table(results["jobs"]))
    if "scaled" in results:
        print(_users_table(results["scaled"], "Two portal workers with Redis vs one (same run)"))


def _first_product(db: Path, customer_id: int) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT min(id) FROM product WHERE customer_id = ?", (customer_id,)
        ).fetchone()[0]


class Expect:
    """What each click must show, asked of the same database the servers read."""

    def __init__(self, customer_id: int, floor_db: Path):
        self.customer_id = customer_id
        self.floor_db = floor_db

    def services(self, kind: str, status: str, sort: str, page: int):
        from o2portal.products.customer import list_customer_products

        found = list_customer_products(self.customer_id, page, kind=kind, status=status, sort=sort)
        return found.total, (found.rows[0].name if found.rows else None)

    def floor_page(self, page: int) -> str:
        with sqlite3.connect(self.floor_db) as conn:
            return conn.execute(
                "SELECT name FROM item ORDER BY expiry_date, id LIMIT 1 OFFSET ?",
                ((page % 100) * 25,),
            ).fetchone()[0]

    def floor_search(self, text: str):
        with sqlite3.connect(self.floor_db) as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM item WHERE name LIKE ? ORDER BY name LIMIT 25", (text + "%",)
                )
            ]
        return len(names), names[0]

    def faq(self, text: str):
        from o2portal.content.faq import search_faq

        found = search_faq(text, "fr")
        return len(found), (found[0].question if found else "")


def _click(floor_url, portal_url, token, ids, portal_data, floor_db, reps):
    from playwright.sync_api import sync_playwright

    from bench.harness import click

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=click.CHROMIUM, args=click.CHROMIUM_ARGS)
        try:
            return click.run_click(
                browser,
                floor_url,
                portal_url,
                token,
                ids,
                Expect(portal_data.bench_customer_id, floor_db),
                reps,
            )
        finally:
            browser.close()


def _click_table(measured: dict[str, list[float]], title: str) -> str:
    from bench.harness.stats import pct, ratio, table

    floor = pct(measured.get("floor one-query", []), 50)
    rows = []
    for event, values in measured.items():
        p50, p95 = pct(values, 50), pct(values, 95)
        rows.append([event, len(values), p50, p95, floor, ratio(p50, floor), ratio(p95, floor)])
    text = table(
        ["event", "n", "p50 ms", "p95 ms", "floor 1-query p50", "× floor (p50)", "× floor (p95)"],
        rows,
        f"\n{title}; floor = the bare app's one-query handler, same run",
    )
    # A page change against the bare app's own page change (its on_load makes one query).
    nav = measured.get("floor navigation (list → /item/<id>)", [])
    detail = measured.get("product detail (list → /services/<id>)", [])
    if nav and detail:
        floor_nav, p50 = pct(nav, 50), pct(detail, 50)
        text += (
            f"\nproduct detail against the floor's navigation: p50 {p50:.1f} / {floor_nav:.1f} ms"
            f" = {ratio(p50, floor_nav):.2f}×"
        )
    return text


def _users(floor, portal, cookies, counts, seconds):
    from bench.harness import load

    out = []
    for n in counts:  # floor and portal interleaved, step by step
        print(f"  {n} users: floor …", flush=True)
        f = asyncio.run(load.users(floor.url, [None] * n, "/", load.FLOOR_STEPS, seconds, floor))
        print(f"  {n} users: portal …", flush=True)
        p = asyncio.run(
            load.users(portal.url, cookies[:n], "/services", load.PORTAL_STEPS, seconds, portal)
        )
        out.append((f"floor ({floor.name})", f))
        out.append((f"portal ({portal.name})", p))
    return out


def _users_table(
    results,
    title: str = (
        "Concurrent users (socket.io clients, each its own session, no pause; portal: /services "
        "load + 3 next pages in a loop; floor: its one-query event in a loop)"
    ),
) -> str:
    from bench.harness.stats import pct, ratio, table

    rows = []
    floor_rate: dict[int, float] = {}
    for name, r in results:
        if name.startswith("floor"):
            floor_rate[r.users] = r.events_per_second
    for name, r in results:
        rows.append(
            [
                name,
                r.users,
                r.events_per_second,
                pct(r.latencies, 50),
                pct(r.latencies, 95),
                r.errors + r.connect_errors,
                r.cpu_ms_per_event,
                ratio(r.events_per_second, floor_rate.get(r.users, math.nan)),
            ]
        )
    return table(
        [
            "server",
            "users",
            "events/s",
            "p50 ms",
            "p95 ms",
            "errors",
            "CPU ms/event",
            "events/s × floor",
        ],
        rows,
        f"\n{title}",
    )


def _logins(portal, cookies, args):
    from bench.harness import data, load

    emails = [data.login_email(i) for i in range(int(args.login_rate * (args.seconds + 5)) + 5)]
    return asyncio.run(
        load.logins_under_load(
            portal.url, cookies, emails, data.PASSWORD, args.login_rate, args.seconds, portal
        )
    )


def _logins_table(r, args) -> str:
    from bench.harness.stats import pct, ratio, table

    base, loaded = r["baseline"], r["loaded"]
    b95, l95 = pct(base.latencies, 95), pct(loaded.latencies, 95)
    rows = [
        [
            "users paging, alone",
            base.users,
            base.events_per_second,
            pct(base.latencies, 50),
            b95,
            base.errors,
            1.0,
        ],
        [
            "users paging, with logins",
            loaded.users,
            loaded.events_per_second,
            pct(loaded.latencies, 50),
            l95,
            loaded.errors,
            ratio(l95, b95),
        ],
        [
            "logins (submit → cookie)",
            len(r["logins"]),
            math.nan,
            r["login_p50"],
            r["login_p95"],
            r["login_errors"],
            math.nan,
        ],
    ]
    return table(
        ["", "n", "events/s", "p50 ms", "p95 ms", "errors", "p95 × baseline"],
        rows,
        f"\nLogins at {args.login_rate}/s (bcrypt on the server) while {base.users} users page",
    )


def _memory(floor, portal, cookies):
    from bench.harness import load

    n = len(cookies)
    f = asyncio.run(load.memory(floor.url, [None] * n, "/", floor))
    p = asyncio.run(load.memory(portal.url, cookies, "/services", portal))
    return [("floor", f), ("portal", p)]


def _memory_table(results) -> str:
    from bench.harness.stats import table

    rows = [
        [
            name,
            m["tabs"],
            m["before"],
            m["during"],
            m["per_tab"],
            m["closed"],
            m["later"],
            m["connect_errors"],
        ]
        for name, m in results
    ]
    return table(
        [
            "server",
            "tabs",
            "RSS before MiB",
            "with tabs",
            "MiB per tab",
            "2 s after close",
            "12 s after",
            "errors",
        ],
        rows,
        "\nMemory (RSS of the server's processes) with connected, hydrated tabs",
    )


def _tickets(floor, portal, cookie, ticket_id, args):
    from bench.harness import load

    path = f"/tickets/{ticket_id}"
    seconds, n = args.idle_seconds, args.pages
    print(f"  floor: {n} idle tabs …", flush=True)
    f = asyncio.run(load.idle_pages(floor.url, None, "/", n, floor, seconds, ticket=False))
    print(f"  portal: {n} idle ticket pages …", flush=True)
    p = asyncio.run(load.idle_pages(portal.url, cookie, path, n, portal, seconds, ticket=True))
    print(f"  portal: one page, {args.watch_events} watch events …", flush=True)
    w = asyncio.run(load.watch_events(portal.url, cookie, path, portal, seconds, args.watch_events))
    return {"idle": [("floor (its page)", f), ("portal (one ticket page)", p)], "watch": w}


def _tickets_tables(r, args) -> str:
    from bench.harness.stats import ratio, table

    rows = []
    for name, m in r["idle"]:
        s = m["seconds"]
        rows.append(
            [
                name,
                m["pages"],
                m["connect_errors"],
                m["connect_seconds"],
                1000 * m["cpu_without"],
                1000 * m["cpu_with"],
                100 * m["cpu_with"] / s,
                100 * (m["cpu_with"] - m["cpu_without"]) / s,
                m["dropped"],
                m["reached"],
                m["reach_seconds"],
            ]
        )
    idle = table(
        [
            "server",
            "tabs",
            "errors",
            "connect s",
            "CPU ms, no tab",
            "CPU ms, tabs",
            "% core",
            "% core (tabs only)",
            "dropped",
            "reply reached",
            "in s",
        ],
        rows,
        f"\nIdle tabs, one customer's session: the server's CPU over {args.idle_seconds:.0f} s "
        "without them and with them (% core = CPU / wall time), then one reply from another "
        "tab: how many ticket pages it reached (their live watch running) and how soon",
    )
    base = r["watch"][0]["cpu"]
    watch = table(
        ["case", "window s", "server CPU ms", "× 1 page", "replies", "`recent` updates", "closed"],
        [
            [
                w["case"],
                w["seconds"],
                1000 * w["cpu"],
                ratio(w["cpu"], base),
                w["replies"],
                w["recent"],
                w["closed"],
            ]
            for w in r["watch"]
        ],
        f"\n`watch` events by name from one ticket page; in each window another tab of the "
        f"same customer posts {r['watch'][0]['replies']} replies (news for every watcher)",
    )
    return idle + "\n" + watch


def _jobs(work, db, portal, cookies, portal_data, args):
    from bench.harness import load

    n = len(cookies)
    print(f"  {n} users alone …", flush=True)
    base = asyncio.run(
        load.users(portal.url, cookies, "/services", load.PORTAL_STEPS, args.seconds, portal)
    )
    print(f"  {n} users while the reminder job runs …", flush=True)
    env = {**os.environ, **portal.env, "PYTHONPATH": str(servers.ROOT)}
    command = [
        sys.executable,
        str(servers.ROOT / "bench" / "harness" / "reminder_job.py"),
        str(args.job_due),
        str(portal_data.bench_customer_id),
    ]
    loaded, job = asyncio.run(
        load.users_during_job(
            portal.url,
            cookies,
            "/services",
            load.PORTAL_STEPS,
            portal,
            command,
            env,
            work / "reminder_job.log",
        )
    )
    return {"baseline": base, "loaded": loaded, "job": job}


def _jobs_table(r) -> str:
    from bench.harness.stats import pct, ratio, table

    base, loaded, job = r["baseline"], r["loaded"], r["job"]
    b95, l95 = pct(base.latencies, 95), pct(loaded.latencies, 95)
    summary = job.get("summary") or {}
    rows = [
        [
            "users paging, alone",
            base.users,
            base.seconds,
            base.events_per_second,
            pct(base.latencies, 50),
            b95,
            base.errors + base.connect_errors,
            1.0,
        ],
        [
            "users paging, during the job",
            loaded.users,
            loaded.seconds,
            loaded.events_per_second,
            pct(loaded.latencies, 50),
            l95,
            loaded.errors + loaded.connect_errors,
            ratio(l95, b95),
        ],
    ]
    note = (
        f"job (under its lease, ran: {job.get('ran')}): {job.get('made_due', 0):,} products "
        f"made due; {job.get('seconds', math.nan):.1f} s, "
        f"{job.get('cpu_seconds', math.nan):.1f} s of its own CPU; summary {summary}"
        + (f"; {job['error']}" if job.get("error") else "")
        + f"; server CPU during it {loaded.cpu_seconds:.1f} s"
    )
    return (
        table(
            ["", "users", "window s", "events/s", "p50 ms", "p95 ms", "errors", "p95 × alone"],
            rows,
            "\nUsers paging /services while the daily reminder job runs in a process of its own "
            "on the same database file (window: the job's run), against the same users alone",
        )
        + "\n"
        + note
    )


def _scaled(work, db, cookies, counts, args):
    from bench.harness import load

    out = []
    for workers in (1, 2):
        port = servers.free_port()
        env = servers.portal_env(work, db, port, redis_url=args.redis)
        server = servers.start(
            f"portal-{workers}w",
            servers.ROOT,
            env,
            port,
            work / f"portal-{workers}w.log",
            workers=workers,
        )
        try:
            servers.wait_ready(server)
            time.sleep(10)
            for n in counts:
                print(f"  {workers} worker(s), {n} users …", flush=True)
                r = asyncio.run(
                    load.users(
                        server.url,
                        cookies[:n],
                        "/services",
                        load.PORTAL_STEPS,
                        args.seconds,
                        server,
                    )
                )
                out.append((f"portal {workers} worker(s) + Redis", r))
        finally:
            server.stop()
    return out


if __name__ == "__main__":
    main()
