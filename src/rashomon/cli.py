"""Command line: a thin layer over analyze, export and report."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from rashomon import __version__
from rashomon.config import DEFAULT_DB, Settings

DEMO_DIR = Path(__file__).resolve().parent / "demo"

# --format -> (module, function); imported on use, so the CLI starts fast.
EXPORTERS = {
    "jsonl": ("rashomon.export.jsonl", "export_jsonl"),
    "csv": ("rashomon.export.csv", "export_csv"),
    "parquet": ("rashomon.export.parquet", "export_parquet"),
    "acled": ("rashomon.export.acled", "export_acled"),
    "ucdp": ("rashomon.export.ucdp", "export_ucdp"),
    "claimreview": ("rashomon.export.claimreview", "export_claimreview"),
}

db_option = click.option(
    "--db", default=DEFAULT_DB, show_default=True, help="SQLite file path or SQLAlchemy URL (e.g. postgresql://...)."
)


def _parse_map(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"expected THEIRS=OURS, got {pair!r}", param_hint="--map")
        theirs, ours = pair.split("=", 1)
        out[theirs.strip()] = ours.strip()
    return out


@click.group()
@click.version_option(__version__, prog_name="rashomon")
def main() -> None:
    """rashomon: news coverage of contested events -> incidents, attributed claims and disputes."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--map", "field_map", multiple=True, metavar="THEIRS=OURS", help="JSON field name mapping, e.g. story_text=text.")
@click.option("--fetch", is_flag=True, help="Fetch article URLs named in feeds or given on the command line.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True, path_type=Path), help="Extra gazetteer TSV.")
@click.option("--batch-size", default=32, show_default=True, help="Articles per parse batch and per transaction.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def analyze(
    paths: tuple[str, ...], db: str, field_map: tuple[str, ...], fetch: bool, gazetteers: tuple[Path, ...], batch_size: int, quiet: bool
) -> None:
    """Ingest, extract and reconcile files, folders, feeds or WARCs into the database."""
    from rashomon.analyze import analyze as run

    settings = Settings(db=db, field_map=_parse_map(field_map), fetch=fetch, gazetteers=gazetteers, batch_size=batch_size, quiet=quiet)
    summary = run(paths, settings)
    _finish(summary.lines(), summary.ok, f"{summary.failed} input(s) failed; see the errors above.")


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(list(EXPORTERS)), default="jsonl", show_default=True,
              help="jsonl / csv / parquet: every record kind; acled, ucdp: incident tables; claimreview: JSON-LD.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output directory.")
def export(db: str, fmt: str, out: Path) -> None:
    """Write the export contract (articles, entities, claims, events, stories, disputes) or a field format."""
    from importlib import import_module

    from rashomon.store.db import Store

    module, function = EXPORTERS[fmt]
    store = Store(Settings(db=db).db_url)
    try:
        counts = getattr(import_module(module), function)(store, out)
    finally:
        store.close()
    click.echo(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@main.command()
@db_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("rashomon-report.html"), show_default=True)
@click.option("--pdf", is_flag=True, help="Also print it to a PDF beside the HTML (needs Chromium installed).")
def report(db: str, out: Path, pdf: bool) -> None:
    """Write a self-contained HTML briefing (and a PDF of it with --pdf)."""
    from rashomon.store.db import Store
    from rashomon.web.report import write_report

    store = Store(Settings(db=db).db_url)
    try:
        write_report(store, out)
    finally:
        store.close()
    click.echo(f"wrote {out}")
    if pdf:
        from rashomon.web.pdf import PdfError, html_to_pdf

        try:
            click.echo(f"wrote {html_to_pdf(out, out.with_suffix('.pdf'))}")
        except PdfError as exc:
            raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("rashomon-demo"), show_default=True)
@click.option("--quiet", is_flag=True)
def demo(out: Path, quiet: bool) -> None:
    """Analyze the bundled demo corpus, export it and write the briefing."""
    from rashomon.analyze import analyze as run
    from rashomon.export.jsonl import export_jsonl
    from rashomon.store.db import Store
    from rashomon.web.report import write_report

    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(db=str(out / "rashomon.db"), gazetteers=(DEMO_DIR / "gazetteer.tsv",), quiet=quiet)
    summary = run([DEMO_DIR / "corpus"], settings)
    for line in summary.lines():
        click.echo(line)
    store = Store(settings.db_url)
    try:
        export_jsonl(store, out / "export")
        write_report(store, out / "report.html")
    finally:
        store.close()
    click.echo(f"database: {out / 'rashomon.db'}\nexport:   {out / 'export'}/\nreport:   {out / 'report.html'}")
    if not summary.ok:
        sys.exit(1)


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@db_option
@click.option("--interval", default=300.0, show_default=True, help="Seconds between polls.")
@click.option("--fetch", is_flag=True, help="Fetch the article page of each new entry.")
@click.option("--webhook", metavar="URL", help="POST each new dispute as JSON to this URL.")
@click.option("--once", is_flag=True, help="Poll once and exit (for cron and tests).")
@click.option("--allow-private", is_flag=True, help="Let --fetch follow entry links to loopback or private addresses.")
def watch(feeds: tuple[str, ...], db: str, interval: float, fetch: bool, webhook: str | None, once: bool,
          allow_private: bool) -> None:
    """Poll RSS/Atom feeds, analyze new entries, update stories and report new disputes."""
    from rashomon.watch import WatchOptions
    from rashomon.watch import watch as run

    logging.getLogger("rashomon.watch").setLevel(logging.INFO)
    options = WatchOptions(interval=interval, fetch=fetch, webhook=webhook, allow_private=allow_private)
    result = run(feeds, Settings(db=db, fetch=fetch, quiet=True), options, once=once)
    click.echo(f"last poll: {result.added} new articles, {len(result.disputes)} new disputes, "
               f"{result.not_modified} feeds unchanged, {len(result.failed_feeds)} failed")
    if once and result.failed_feeds:
        sys.exit(1)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default; any other needs --expose).")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--expose", is_flag=True, help="Allow a non-loopback --host; every request then needs the access token.")
@click.option("--token", envvar="RASHOMON_TOKEN", show_envvar=True,
              help="Access token (16+ characters when exposed); generated and printed once if --expose has none.")
@click.option("--rate-limit", default=20.0, show_default=True, type=click.FloatRange(min=0),
              help="Requests per second per client address, bursts of 3x that (0: no limit).")
def serve(db: str, host: str, port: int, expose: bool, token: str | None, rate_limit: float) -> None:
    """Serve the web app and its JSON API over the database (docs/security.md)."""
    import uvicorn

    from rashomon.web.app import create_app
    from rashomon.web.security import ExposureError, SecurityConfig, serve_token

    try:
        required = serve_token(host, expose, token)
    except ExposureError as exc:
        raise click.UsageError(str(exc)) from exc
    security = SecurityConfig(token=required, rate=rate_limit, burst=3 * rate_limit)
    click.echo(f"rashomon serving {db} on http://{host}:{port}/")
    if required and required != token:
        click.echo(f"access token (generated, shown only now): {required}\n"
                   f"  browser: open /?token=<token> once; API: send 'Authorization: Bearer <token>'")
    sys.stdout.flush()  # the token line must reach a log or a pipe before the server blocks
    uvicorn.run(create_app(Settings(db=db).db_url, security), host=host, port=port, log_level="warning",
                server_header=False)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output directory: shards/<key>/ holds each shard's Parquet files and _SUCCESS marker.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this machine, no cluster; ray: Ray Data (a local Ray, or the cluster RAY_ADDRESS names).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1), help="Parallel workers (processes or Ray actors), one model each.")
@db_option
@click.option("--map", "field_map", multiple=True, metavar="THEIRS=OURS", help="JSON / Parquet field name mapping.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(exists=True, path_type=Path), help="Extra gazetteer TSV.")
@click.option("--batch-size", default=32, show_default=True, help="Articles per parse batch and per Parquet row group.")
@click.option("--shard-records", default=0, show_default=True, help="Split JSON Lines files into shards of this many lines (0: a shard per file).")
@click.option("--files-per-shard", default=200, show_default=True, help="Single-article files (txt, html) of a folder per shard.")
@click.option("--quiet", is_flag=True, help="No per-shard progress lines.")
def batch(inputs: tuple[str, ...], out: Path, engine: str, workers: int, db: str, field_map: tuple[str, ...],
          gazetteers: tuple[Path, ...], batch_size: int, shard_records: int, files_per_shard: int, quiet: bool) -> None:
    """Extract sharded inputs (WARC, JSONL, Parquet, folders) restartably into Parquet and the database."""
    from rashomon.batch import make_engine, run_batch

    settings = Settings(db=db, field_map=_parse_map(field_map), gazetteers=gazetteers, batch_size=batch_size, quiet=quiet)
    try:
        backend = make_engine(engine, workers)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    summary = run_batch(inputs, out, settings, backend, shard_records, files_per_shard)
    _finish(summary.lines(), summary.ok,
            f"{summary.run.failed} record(s) or shard(s) failed; see the errors above and errors.jsonl in each shard.")


@main.command()
@db_option
def check(db: str) -> None:
    """Check the store's invariants (each article once, no dangling references, index and summaries current)."""
    from rashomon.store.db import Store
    from rashomon.store.integrity import check as find_problems

    if "://" not in db and not Path(db).expanduser().exists():
        raise click.ClickException(f"no database at {db}")  # opening it would create an empty one
    with Store(Settings(db=db).db_url) as store:
        problems = find_problems(store)
        counts = store.counts()
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(1)
    click.echo(f"store consistent: {counts['articles']} articles, {counts['stories']} stories, {counts['claims']} claims, "
               f"{counts['entities']} entities, {counts['events']} incidents, {counts['disputes']} disputes")


def _finish(lines: list[str], ok: bool, failure: str) -> None:
    """Print a run's closing lines; on failure say so on stderr and exit 1 (scripts test the exit code)."""
    for line in lines:
        click.echo(line)
    if not ok:
        click.echo(failure, err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
