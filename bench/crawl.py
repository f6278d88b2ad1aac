"""Benchmark a crawl pass against Scrapy on a generated local site.

Generates an N-page news site (an RSS feed listing every article; article pages with
realistic markup, one in five telling of an executive's departure), serves it on
127.0.0.1 with nginx when installed (else Python's threading server, and says so), and
measures, each as its own process tree (pages/s over the whole process, start-up
included; peak memory = VmHWM of the crawling process plus that of each worker):

- exodus fetch + archive only (the crawl with detection switched off);
- exodus full crawl (`exodus crawl`: fetch, archive, detection in worker processes);
- Scrapy, a minimal spider with the same concurrency and politeness;
- optionally the same exodus command from another checkout (`--baseline-repo`);
- with `--latency-ms`, the fetch-only runs again through a Python server that waits
  that long before answering each request;
- the `reextract` batch query at 3k and 100k archived pages (synthesised rows).

    .venv/bin/python bench/crawl.py [--sizes 500 3000] [--latency-ms 50]
        [--baseline-repo ../main] [--query-sizes 3000 100000]

Needs Scrapy (`pip install -e '.[bench]'`); it is skipped when missing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.reextract import process_tree  # noqa: E402

CONCURRENCY = 8  # in flight, overall and per host (the site is one host)
DELAY = 0.001  # seconds between request starts to the host (exodus needs > 0)

FIRST = ["Zhang", "Li", "Wang", "Chen", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou"]
GIVEN = ["Wei", "Fang", "Hao", "Jie", "Min", "Lei", "Yan", "Tao", "Qiang", "Ning"]
COMPANIES = ["Lantern Robotics", "Harbor Software", "Orbit Chips", "Maple Devices",
             "Cobalt Cloud", "Jade Mobility", "Nimbus Payments", "Atlas Games"]
ROLES = ["chief executive", "chief technology officer", "president", "head of research",
         "vice president of engineering", "chief financial officer"]
FILLER = [
    "The company makes {thing} and employs about {n:,} people in {city}.",
    "Analysts said the results for the quarter beat expectations on revenue.",
    "{company} said demand for {thing} rose in the second half of the year.",
    "Shares of {company} rose {n2} percent in Hong Kong trading on {day}.",
    "The firm plans to open a new research centre in {city} next year.",
    "Competition in the market has intensified as rivals cut prices.",
    "Regulators in {city} approved the deal after a review that lasted months.",
    "The startup raised funding from investors including several state-backed funds.",
    "\u201cWe expect growth to continue into next year,\u201d said {person}, an analyst at "
    "{bank} in {city}.",
    "{person}, who founded the company in 2012, told reporters the plan was on track.",
    "Its main rival, {company2}, reported a loss for the same period.",
    "{person}, a former engineer at {company2}, said the {thing} market was crowded.",
    "The board met on {day} to discuss the budget, according to {person}.",
    "Sales of {thing} in {city} grew {n2} percent from a year earlier, {bank} said.",
    "{company2} declined to comment on the report, which was first published by local media.",
]
BANKS = ["Morgan Stanley", "Citic Securities", "Nomura", "Jefferies", "Bernstein"]
THINGS = ["industrial robots", "smart watches", "cloud services", "electric scooters",
          "payment terminals", "mobile games", "AI chips"]
CITIES = ["Shenzhen", "Hangzhou", "Beijing", "Shanghai", "Wuhan", "Chengdu", "Singapore"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


# What real pages carry around the story: menus, a footer full of links, inline scripts.
MENU = "".join(f'<li><a href="/section/{k}">Section {k}</a></li>' for k in range(150))
SCRIPT = "var cfg = {" + ",".join(f'"k{k}": "{"v" * 40}{k}"' for k in range(200)) + "};"


def article(i: int, rng: random.Random) -> str:
    company = rng.choice(COMPANIES)
    paras = []
    if i % 5 == 0:
        person = f"{rng.choice(FIRST)} {rng.choice(GIVEN)}"
        paras.append(f"{person}, the {rng.choice(ROLES)} of {company}, has resigned, "
                     f"the company said on {rng.choice(DAYS)}.")
    sentences = []
    for _ in range(rng.randint(25, 45)):  # 600 to 1,000 words, as news articles go
        sentences.append(rng.choice(FILLER).format(
            company=company, company2=rng.choice(COMPANIES), thing=rng.choice(THINGS),
            n=rng.randint(200, 20000), n2=rng.randint(1, 9), city=rng.choice(CITIES),
            day=rng.choice(DAYS), bank=rng.choice(BANKS),
            person=f"{rng.choice(FIRST)} {rng.choice(GIVEN)}"))
    paras += [" ".join(sentences[k:k + 3]) for k in range(0, len(sentences), 3)]
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    title = f"{company} story {i}"
    links = "".join(f'<li><a href="/a/{(i + k) % 997}.html">Related {k}</a></li>'
                    for k in range(1, 6))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Bench News</title>
<meta name="description" content="{paras[0][:120]}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2024-03-{1 + i % 28:02d}T08:00:00Z">
<link rel="canonical" href="/a/{i}.html"><link rel="stylesheet" href="/s.css">
<script>window.dataLayer = window.dataLayer || []; {SCRIPT}</script></head>
<body><header><nav><ul>{MENU}</ul></nav></header><main><article><h1>{title}</h1>
<div class="byline">By Staff Reporter | March {1 + i % 28}, 2024</div>
{body}
</article><aside><h3>Related</h3><ul>{links}</ul></aside></main>
<footer><p>Copyright 2024 Bench News. All rights reserved.</p>
<ul>{MENU}</ul></footer></body></html>"""


def generate(root: Path, n: int) -> None:
    rng = random.Random(n)
    (root / "a").mkdir(parents=True)
    for i in range(n):
        (root / "a" / f"{i}.html").write_text(article(i, rng), encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (root / "feed.xml").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Bench</title>"
        + "".join(f"<item><title>Story {i}</title><link>BASE/a/{i}.html</link></item>"
                  for i in range(n))
        + "</channel></rss>", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server on port {port} did not start")


class Server:
    """nginx on the site folder, or Python's threading server as a fallback."""

    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.proc: subprocess.Popen | None = None
        self.kind = "nginx" if shutil.which("nginx") else "python http.server (no nginx)"

    def __enter__(self) -> Server:
        if self.kind == "nginx":
            prefix = self.root.parent / "nginx"
            (prefix / "logs").mkdir(parents=True, exist_ok=True)
            conf = prefix / "nginx.conf"
            user = "user root;" if os.geteuid() == 0 else ""
            conf.write_text(f"""{user}
daemon off; worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/logs/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; keepalive_requests 100000;
  client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp;
  fastcgi_temp_path {prefix}/tmp; uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
  types {{ text/html html; application/rss+xml xml; text/plain txt; }}
  server {{ listen 127.0.0.1:{self.port}; root {self.root}; }} }}
""")
            self.proc = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(conf)],
                                         stderr=subprocess.DEVNULL)
        else:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1",
                 "--directory", str(self.root)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


def slow_server(root: str, port: int, latency: float) -> None:
    """An HTTP/1.1 keep-alive file server that waits `latency` before each answer."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode().split("?", 1)[0]
                await asyncio.sleep(latency)
                file = Path(root) / path.lstrip("/")
                if ".." not in path and file.is_file():
                    body, status = file.read_bytes(), b"200 OK"
                else:
                    body, status = b"not found", b"404 Not Found"
                ctype = b"application/rss+xml" if path.endswith(".xml") else (
                    b"text/plain" if path.endswith(".txt") else b"text/html")
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + ctype + b"\r\n"
                             b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


# -- measuring ---------------------------------------------------------------------------------


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


CPU: dict[str, float] = {}  # CPU seconds of the last measured run: main, workers


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, int, str]:
    """Wall seconds, the main process's VmHWM, the largest sum of VmHWM over descendants
    alive at one time (workers are replaced as they go), stdout."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True, env=env)
    peaks: dict[int, int] = {}
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=lambda: out.extend(proc.stdout)),  # type: ignore[arg-type]
               threading.Thread(target=lambda: err.extend(proc.stderr))]  # type: ignore[arg-type]
    for t in readers:
        t.start()
    workers_peak = 0
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        live = 0
        for pid in process_tree(proc.pid):
            peaks[pid] = max(peaks.get(pid, 0), _hwm(pid))
            cpu[pid] = max(cpu.get(pid, 0.0), _cpu(pid))
            if pid != proc.pid:
                live += peaks[pid]
        workers_peak = max(workers_peak, live)  # workers alive together (they are replaced)
        time.sleep(0.05)
    seconds = time.monotonic() - started
    CPU["main"] = cpu.pop(proc.pid, 0.0)
    CPU["workers"] = sum(cpu.values())
    for t in readers:
        t.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{''.join(err)[-3000:]}")
    return seconds, peaks.get(proc.pid, 0), workers_peak, "".join(out)


def exodus_config(folder: Path, base: str, n: int, per_host: bool = True) -> Path:
    config = folder / "config.toml"
    config.write_text(f"""[storage]
path = "bench.db"
[crawler]
delay_seconds = {DELAY}
concurrency = {CONCURRENCY}
{"per_host = " + str(CONCURRENCY) if per_host else ""}
timeout_seconds = 20
max_retries = 0
[[sources]]
name = "bench"
kind = "feed"
url = "{base}/feed.xml"
max_links = {n}
""")
    return config


FETCH_ONLY = """
import asyncio, sys
from pathlib import Path
from crawler.config import load_config
from crawler.crawl import crawl
from storage import Store

class NoDetection:
    listeners = {}
    def watch(self, sources): pass
    def start(self): pass
    def notify(self): pass
    async def settle(self): pass

config = load_config(Path(sys.argv[1]))
with Store.open(config.db_path) as store:
    (stats,) = asyncio.run(crawl(list(config.sources), config.crawler, store, None,
                                 detection=NoDetection()))
print(stats.line())
"""

SPIDER = """
import sys, scrapy
from scrapy.crawler import CrawlerProcess

class Bench(scrapy.Spider):
    name = "bench"
    start_urls = [sys.argv[1] + "/feed.xml"]
    pages = 0
    def parse(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield scrapy.Request(link, callback=self.article)
    def article(self, response):
        Bench.pages += 1
        yield {"url": response.url, "bytes": len(response.body)}

process = CrawlerProcess(settings={
    "CONCURRENT_REQUESTS": int(sys.argv[2]), "CONCURRENT_REQUESTS_PER_DOMAIN": int(sys.argv[2]),
    "DOWNLOAD_DELAY": float(sys.argv[3]), "RANDOMIZE_DOWNLOAD_DELAY": False,
    "ROBOTSTXT_OBEY": True, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "ERROR",
    "TELNETCONSOLE_ENABLED": False, "RETRY_ENABLED": False, "COOKIES_ENABLED": False,
    "USER_AGENT": "bench (+http://127.0.0.1)",
})
process.crawl(Bench)
process.start()
print(f"scrapy: {Bench.pages} pages")
"""


def count_pages(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        pages = conn.execute("select count(*) from pages where kind = 'article'").fetchone()[0]
        done = conn.execute("select count(*) from pages where kind = 'article' "
                            "and extractor_version is not null").fetchone()[0]
        return pages, done
    finally:
        conn.close()


def row(name: str, n: int, pages: int, seconds: float, main: int, workers: int) -> None:
    print(f"{name:<40}{n:>6}{pages:>7}{seconds:>8.1f}{pages / seconds:>9.1f}"
          f"{main / 2**20:>9.0f}{workers / 2**20:>11.0f}"
          f"{CPU['main']:>8.1f}{CPU['workers']:>8.1f}", flush=True)


def run_exodus(name: str, n: int, base: str, tmp: Path, fetch_only: bool,
               exodus_bin: str | None = None) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp))
    config = exodus_config(folder, base, n, per_host=exodus_bin is None)
    if fetch_only:
        cmd = [sys.executable, "-c", FETCH_ONLY, str(config)]
    else:
        cmd = [exodus_bin or str(Path(sys.executable).with_name("exodus")), "--config",
               str(config), "crawl"]
    env = {**os.environ, "PYTHONPATH": str(REPO)} if exodus_bin is None else None
    seconds, main, workers, _ = measure(cmd, folder, env)
    pages, done = count_pages(folder / "bench.db")
    if not fetch_only and done != pages:
        print(f"  ! {name}: only {done} of {pages} pages detected")
    row(name, n, pages, seconds, main, workers)
    shutil.rmtree(folder)


def run_scrapy(name: str, n: int, base: str, tmp: Path) -> None:
    spider = tmp / "bench_spider.py"  # a file: Scrapy inspects the callbacks' source
    spider.write_text(SPIDER)
    seconds, main, workers, out = measure(
        [sys.executable, str(spider), base, str(CONCURRENCY), str(DELAY)], tmp)
    pages = int(out.rsplit("scrapy:", 1)[1].split()[0])
    row(name, n, pages, seconds, main, workers)


# -- the reextract batch query -----------------------------------------------------------------


def batch_query_timing(n: int, tmp: Path) -> tuple[float, float]:
    """Milliseconds per batch query at a cursor half-way through, new plan and old plan."""
    from crawler.reextract import BATCH, _selection, batch_query
    from storage import Store

    path = tmp / f"query-{n}.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    blob = zlib.compress(b"<html><body><p>x</p></body></html>")
    with conn:
        conn.executemany(
            "INSERT INTO pages (id, url, final_url, source, kind, fetched_at, sha256, size, "
            "html, extractor_version) VALUES (?, ?, ?, 'bench', ?, '2024-01-01T00:00:00Z', ?, "
            "10, ?, ?)",
            ((i, f"https://b.test/{i}", f"https://b.test/{i}", "article" if i % 10 else "feed",
              f"{i:064x}", blob, "old" if i % 3 else None) for i in range(1, n + 1)))
        conn.execute("INSERT INTO urls (url, source, discovered_at, page_id, failures) "
                     "SELECT url, source, fetched_at, id, 0 FROM pages")
    conn.execute("ANALYZE")
    where, params = _selection(None, None, False)
    new = batch_query(where)
    old = (f"SELECT id, url, html, content_type, fetched_at, source FROM pages "
           f"INDEXED BY idx_pages_kind_extractor_version "
           f"WHERE {where} AND id > ? AND id <= ? ORDER BY id LIMIT ?")
    timings = []
    for sql in (new, old):
        conn.execute(sql, [*params, n // 2, n, BATCH]).fetchall()
        started = time.perf_counter()
        for k in range(20):
            conn.execute(sql, [*params, n // 2 + k * BATCH, n, BATCH]).fetchall()
        timings.append((time.perf_counter() - started) / 20 * 1000)
    conn.close()
    path.unlink()
    return timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 3000])
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--latency-sizes", type=int, nargs="+", default=[500])
    parser.add_argument("--baseline-repo", type=Path,
                        help="also run `exodus crawl` from this checkout's .venv")
    parser.add_argument("--query-sizes", type=int, nargs="+", default=[3000, 100000])
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["fetch", "full", "scrapy", "baseline", "query"])
    parser.add_argument("--slow-server", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.slow_server:
        slow_server(args.slow_server[0], int(args.slow_server[1]), float(args.slow_server[2]))
        return
    try:
        import scrapy  # noqa: F401
        has_scrapy = True
    except ImportError:
        has_scrapy = False
        print("scrapy not installed (pip install -e '.[bench]'): its rows are skipped")
    print(f"{os.cpu_count()} cores; concurrency {CONCURRENCY} (per host too), "
          f"delay {DELAY}s between request starts; robots.txt obeyed by both")
    header = (f"{'run':<40}{'site':>6}{'pages':>7}{'seconds':>8}{'pages/s':>9}"
              f"{'main MB':>9}{'workers MB':>11}{'cpu s':>8}{'wk cpu':>8}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.chmod(tmp, 0o755)
        for n in args.sizes:
            site = tmp / f"site-{n}"
            generate(site, n)
            with Server(site) as server:
                base = f"http://127.0.0.1:{server.port}"
                text = (site / "feed.xml").read_text().replace("BASE", base)
                (site / "feed.xml").write_text(text)
                print(f"\n{n} pages served by {server.kind} at {base}")
                print(header)
                if "fetch" not in args.skip:
                    run_exodus("exodus fetch+archive", n, base, tmp, fetch_only=True)
                if "scrapy" not in args.skip and has_scrapy:
                    run_scrapy("scrapy", n, base, tmp)
                if "full" not in args.skip:
                    run_exodus("exodus crawl (with detection)", n, base, tmp, False)
                if args.baseline_repo and "baseline" not in args.skip:
                    exe = args.baseline_repo / ".venv" / "bin" / "exodus"
                    run_exodus(f"baseline {args.baseline_repo.name}: exodus crawl", n, base,
                               tmp, False, exodus_bin=str(exe))
                (site / "feed.xml").write_text(text.replace(base, "BASE"))
            if args.latency_ms and n in args.latency_sizes:
                port = free_port()
                proc = subprocess.Popen([sys.executable, __file__, "--slow-server", str(site),
                                         str(port), str(args.latency_ms / 1000)])
                try:
                    wait_port(port)
                    base = f"http://127.0.0.1:{port}"
                    (site / "feed.xml").write_text(text.replace(
                        f"http://127.0.0.1:{server.port}", base))
                    print(f"\n{n} pages, {args.latency_ms:.0f} ms added per request by a "
                          f"Python asyncio server (bench/crawl.py --slow-server)")
                    print(header)
                    run_exodus("exodus fetch+archive", n, base, tmp, fetch_only=True)
                    if has_scrapy:
                        run_scrapy("scrapy", n, base, tmp)
                finally:
                    proc.terminate()
                    proc.wait(10)
            shutil.rmtree(site)
        if "query" not in args.skip:
            print("\nreextract batch query (ms per batch, cursor half-way; synthesised rows)")
            print(f"{'archive pages':>14}{'row-id scan':>13}{'old plan':>10}")
            for n in args.query_sizes:
                new, old = batch_query_timing(n, tmp)
                print(f"{n:>14}{new:>13.3f}{old:>10.3f}", flush=True)


if __name__ == "__main__":
    main()
