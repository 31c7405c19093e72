"""``rashomon serve``: the web app over a store, server-rendered (FastAPI + Jinja2), with a JSON API.

Pages: the stories list (search, filters, newest or most disputed first), a story (summary, claims matrix,
casualty ledger, timeline, map, articles marked in place), an actor, an outlet. ``/api/...`` returns the
same views as JSON, described in ``/openapi.json``. Nothing is fetched from the internet: CSS and JS are
package files under ``/static``, there is no inline script (a Content-Security-Policy forbids it), and the
Swagger page (which loads from a CDN) is off. Article text is hostile: templates autoescape everything.
Limits, the access token and the safe headers are ``web.security``'s middleware (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from rashomon import __version__
from rashomon.store.db import Store
from rashomon.store.search import ensure_index
from rashomon.web import queries
from rashomon.web.fmt import fmt_date, headline
from rashomon.web.outlets import OutletPage, load_outlet
from rashomon.web.queries import ActorPage, StoryFilter, StoryList
from rashomon.web.report import DISPUTE_KINDS, StoryView
from rashomon.web.security import SecurityConfig, SecurityMiddleware
from rashomon.web.storypage import StoryDetail, article_blocks, build_view, story_detail

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates" / "app"
STATIC = HERE / "static"
TRUE = frozenset({"1", "true", "yes", "on"})
IN_PROCESS = SecurityConfig(rate=0)  # tests and embedding: no remote client to throttle; `serve` passes its own


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["headline"] = headline
    env.filters["date"] = fmt_date
    env.filters["pct"] = lambda x: f"{100 * float(x):.0f}%"
    env.globals["list_url"] = list_url
    env.globals["q"] = lambda s: quote(str(s), safe="")
    env.globals["version"] = __version__
    env.globals["search_cap"] = queries.SEARCH_CAP
    return env


def list_url(f: StoryFilter, **changes: Any) -> str:
    """The stories list's URL for filter ``f`` with some parameters changed (pagination, sorting, chips)."""
    params = {"q": f.q, "from": f.date_from, "to": f.date_to, "place": f.place, "actor": f.actor,
              "outlet": f.outlet, "event_type": f.event_type, "disputed": "1" if f.disputed else None,
              "sort": f.sort if f.sort != "newest" else None, "page": f.page if f.page > 1 else None}
    params.update(changes)
    kept = {k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)}
    return "/" + ("?" + urlencode(kept) if kept else "")


def _iso(value: str | None) -> str | None:
    """A valid ISO date or None: a malformed date in a URL widens the filter instead of failing."""
    try:
        return date.fromisoformat(value[:10]).isoformat() if value else None
    except ValueError:
        return None


def story_filter(
    q: str = "", date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None, place: str | None = None, actor: str | None = None,
    outlet: str | None = None, event_type: str | None = None, disputed: str | None = None,
    sort: str = "newest", page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> StoryFilter:
    """The list's query parameters (``from``/``to`` ISO dates, ``disputed=1``, ``sort=newest|disputed``)."""
    return StoryFilter(q=q.strip()[:500], date_from=_iso(date_from), date_to=_iso(date_to), place=place or None,
                       actor=actor or None, outlet=outlet or None, event_type=event_type or None,
                       disputed=(disputed or "").lower() in TRUE,
                       sort=sort if sort in queries.SORTS else "newest", page=page)


def _db(request: Request) -> Iterator[Session]:
    """One read session per request, from the app's store."""
    with request.app.state.sessions() as s:
        yield s


Db = Annotated[Session, Depends(_db)]
Filter = Annotated[StoryFilter, Depends(story_filter)]


def create_app(db_url: str, security: SecurityConfig = IN_PROCESS) -> FastAPI:
    """The app over the store at ``db_url`` (path or SQLAlchemy URL; migrated on open), behind the
    limits, token and headers of ``security``."""
    store = Store(db_url)
    ensure_index(store.engine)
    app = FastAPI(title="rashomon", version=__version__, docs_url=None, redoc_url=None,
                  description="Stories, claims, actors and outlets from the rashomon store.")
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(SecurityMiddleware, config=security)

    def page(name: str, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(_env().get_template(name).render(**ctx))

    @app.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        html = _env().get_template("error.html.j2").render(status=exc.status_code, detail=str(exc.detail))
        return HTMLResponse(html, status_code=exc.status_code)

    def _story(s: Session, story_id: str) -> tuple[queries.StoryRecords, StoryView, StoryDetail]:
        rec = queries.load_story(s, story_id)
        if rec is None:
            raise HTTPException(404, f"no story {story_id}")
        view = build_view(rec)
        return rec, view, story_detail(rec, view)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(s: Db, f: Filter) -> HTMLResponse:
        return page("stories.html.j2", f=f, result=queries.list_stories(s, f), facets=queries.facets(s),
                    claims=queries.search_claims(s, f.q, 20) if f.q else [])

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(s: Db, story_id: str) -> HTMLResponse:
        rec, view, detail = _story(s, story_id)
        return page("story.html.j2", d=detail, s=view, articles=article_blocks(rec), dispute_kinds=DISPUTE_KINDS)

    @app.get("/actors/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(s: Db, entity_id: str) -> HTMLResponse:
        return page("actor.html.j2", a=_found(queries.load_actor(s, entity_id), f"no actor {entity_id}"))

    @app.get("/outlets/{outlet:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(s: Db, outlet: str) -> HTMLResponse:
        return page("outlet.html.j2", o=_found(load_outlet(s, outlet), f"no outlet {outlet}"))

    @app.get("/api/stories", response_model=StoryList, tags=["stories"])
    def api_stories(s: Db, f: Filter) -> StoryList:
        """One page (50) of stories matching the filters, newest or most disputed first."""
        return queries.list_stories(s, f)

    @app.get("/api/stories/{story_id}", response_model=StoryDetail, tags=["stories"])
    def api_story(s: Db, story_id: str) -> StoryDetail:
        """A story: five-line summary, claims matrix, disputes, incidents with ledgers, speakers, timeline."""
        return _story(s, story_id)[2]

    @app.get("/api/actors/{entity_id}", response_model=ActorPage, tags=["actors"])
    def api_actor(s: Db, entity_id: str) -> ActorPage:
        """What one actor claimed, denied and was accused of, across stories."""
        return _found(queries.load_actor(s, entity_id), f"no actor {entity_id}")

    @app.get("/api/outlets/{name:path}", response_model=OutletPage, tags=["outlets"])
    def api_outlet(s: Db, name: str) -> OutletPage:
        """What one outlet reports that others do not; its hedging and evaluative-language rates."""
        return _found(load_outlet(s, name), f"no outlet {name}")

    @app.get("/api/search", response_model=queries.SearchResult, tags=["search"])
    def api_search(s: Db, q: Annotated[str, Query(min_length=1, max_length=500)],
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> queries.SearchResult:
        """Full-text search over article titles and texts and claim sentences."""
        f = StoryFilter(q=q, page=page)
        return queries.SearchResult(stories=queries.list_stories(s, f), claims=queries.search_claims(s, q))

    app.state.store = store
    app.state.sessions = sessionmaker(store.engine)
    return app


def _found(value: Any, message: str) -> Any:
    if value is None:
        raise HTTPException(404, message)
    return value

