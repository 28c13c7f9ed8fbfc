"""The last gate: a built page that could run, load or redirect anything the project did not put there fails the build."""
import shutil

import pytest

from generator.errors import BuildError
from generator.site import engine, htmlcheck

THEME = '__md_scope=new URL(".",location)'  # stands for a theme script in the table below
ALLOWED = frozenset({htmlcheck.digest(THEME)})
SOURCES = {"assets/javascripts/bundle.js", "assets/brief/brief-charts.js"}


@pytest.mark.parametrize("html, problems", [
    ('<p title="x">fine</p><script type="application/json" id="d">{"a": 1}</script>', []),
    (f"<script>{THEME}</script><script src='assets/brief/brief-charts.js'></script>", []),
    ('<iframe srcdoc="&lt;script&gt;parent.x=1&lt;/script&gt;"></iframe>', [
        "p.html:1: <iframe> is not allowed in the site",
        "p.html:1: <iframe> has a srcdoc attribute: '<script>parent.x=1</script>'"]),
    ('<div srcdoc="x"></div>', ["p.html:1: <div> has a srcdoc attribute: 'x'"]),
    ("<img src=x onerror=alert(1)>", ["p.html:1: <img> has an event-handler attribute onerror"]),
    ('<svg><a xlink:href="java&#x09;script:alert(1)">x</a></svg>',
     ["p.html:1: <a> xlink:href uses a forbidden scheme: 'java\\tscript:alert(1)'"]),
    ('<form><button formaction=" JaVaScRiPt:alert(1)">x</button></form>',
     ["p.html:1: <button> formaction uses a forbidden scheme: ' JaVaScRiPt:alert(1)'"]),
    ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
     ["p.html:1: <animate> values uses a forbidden scheme: 'javascript:alert(1)'"]),
    ('<a data-x="data:text/html,x" href="vbscript:x">x</a>', [
        "p.html:1: <a> data-x uses a forbidden scheme: 'data:text/html,x'",
        "p.html:1: <a> href uses a forbidden scheme: 'vbscript:x'"]),
    ('<base href="https://evil.example/">', ["p.html:1: <base> is not allowed in the site"]),
    ('<meta http-equiv=" Refresh " content="0;url=https://evil.example/">',
     ["p.html:1: <meta http-equiv=refresh> is not allowed in the site"]),
    ("<object data=x></object><embed src=x>", ["p.html:1: <object> is not allowed in the site",
                                               "p.html:1: <embed> is not allowed in the site"]),
    (f"<script>{THEME},alert(1)</script>",
     [f"p.html:1: inline <script> that the theme does not write: '{THEME},alert(1)'"]),
    (f"<script>{THEME.replace('.', '..', 1)}</script>",
     ["p.html:1: inline <script> that the theme does not write: '__md_scope=new URL(\"..\",location)'"]),
    ("<script type=module>alert(1)</script>", ["p.html:1: inline <script> that the theme does not write: 'alert(1)'"]),
    ("<script type=text/x-anything>alert(1)</script>",
     ["p.html:1: inline <script> that the theme does not write: 'alert(1)'"]),
    ("<script src='https://cdn.example/x.js'></script><script src='../outside.js'></script>", [
        "p.html:1: <script> loads 'https://cdn.example/x.js', which is not one of the site's own scripts",
        "p.html:1: <script> loads '../outside.js', which is not one of the site's own scripts"]),
    ('<script type="application/json"></script><script>alert(1)</script>',
     ["p.html:1: inline <script> that the theme does not write: 'alert(1)'"]),
])
def test_each_page_is_checked_structurally(html, problems):
    assert htmlcheck.check_page(html, "p.html", SOURCES, ALLOWED) == problems


@pytest.mark.parametrize("src, root, problems", [
    ("/assets/brief/brief-charts.js", "/", []),  # no site_url: the host's root is the site's
    ("/airlift/assets/brief/brief-charts.js", "/airlift/", []),  # 404.html under site_url https://…/airlift/
    ("/assets/brief/brief-charts.js", "/airlift/", [
        "404.html:1: <script> loads '/assets/brief/brief-charts.js', which is not one of the site's own scripts"]),
    ("/airlift/../other/assets/brief/brief-charts.js", "/airlift/", [
        "404.html:1: <script> loads '/airlift/../other/assets/brief/brief-charts.js', which is not one of the site's "
        "own scripts"]),
])
def test_an_address_from_the_host_s_root_is_the_site_s_only_under_its_published_path(src, root, problems):
    assert htmlcheck.check_page(f"<script src='{src}'></script>", "404.html", SOURCES, ALLOWED, root) == problems


@pytest.mark.parametrize("site_url, root", [
    (None, "/"), ("https://example.org", "/"), ("https://example.org/", "/"), ("https://example.org/airlift", "/airlift/"),
    ("https://example.org/a/b/", "/a/b/"),
])
def test_the_published_path_comes_from_site_url(site_url, root):
    assert engine.site_root(site_url) == root


def test_the_theme_scripts_are_those_the_theme_writes_for_this_configuration(example):
    site = example.site
    depths = frozenset({0, 1})
    allowed = htmlcheck.theme_scripts(example.engine_config, depths)
    inline = htmlcheck.inline_scripts((site / "bases" / "index.html").read_text(encoding="utf-8"))
    assert inline and {htmlcheck.digest(body) for body in inline} <= allowed
    assert len(allowed) == 5  # the scope script for each depth and for 404.html, the palette and the tab scripts


@pytest.mark.parametrize("page, injected, message", [
    ("404.html", '<iframe src="https://evil.example/"></iframe>', "404.html:{line}: <iframe> is not allowed in the site"),
    ("bases/index.html", "<script>alert(1)</script>",
     "bases/index.html:{line}: inline <script> that the theme does not write: 'alert(1)'"),
])
def test_a_built_site_with_anything_injected_fails_the_check(example, tmp_path, page, injected, message):
    site = shutil.copytree(example.site, tmp_path / "site")
    text = (site / page).read_text(encoding="utf-8")
    line = text[:text.index("</body>")].count("\n") + 1
    (site / page).write_text(text.replace("</body>", injected + "</body>"), encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        htmlcheck.check_site(site, ["assets/brief/brief-charts.js", "assets/brief/brief-replay.js",
                                    "assets/brief/iframe-worker-shim.js", "assets/brief/search-on-demand.js"],
                               example.engine_config)
    assert str(failed.value).splitlines() == ["the built site failed the safety check; nothing was published:",
                                              "  " + message.format(line=line)]


def test_the_check_spread_over_worker_processes_finds_the_same_problems_in_page_order(example, tmp_path, monkeypatch):
    site = shutil.copytree(example.site, tmp_path / "site")
    for page in ("404.html", "bases/index.html", "index.html", "timeline.html"):
        text = (site / page).read_text(encoding="utf-8")
        (site / page).write_text(text.replace("</body>", "<img src=x onerror=alert(1)></body>"), encoding="utf-8")
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    scripts = ["assets/brief/brief-charts.js", "assets/brief/brief-replay.js", "assets/brief/iframe-worker-shim.js",
               "assets/brief/search-on-demand.js"]
    one_by_one = htmlcheck.check_pages(site, pages, scripts, example.engine_config)
    assert [p.split(":")[0] for p in one_by_one] == ["404.html", "bases/index.html", "index.html", "timeline.html"]
    if not _workers_start():
        pytest.skip("this machine cannot start worker processes; the check runs in one process here")
    monkeypatch.setattr(htmlcheck.os, "cpu_count", lambda: 2)  # whatever this machine has
    monkeypatch.setattr(htmlcheck, "PARALLEL_FROM", 1)
    allowed = set(htmlcheck.theme_files()) | set(scripts)
    inline = htmlcheck.theme_scripts(example.engine_config, frozenset({0, 1}))
    assert htmlcheck._in_parallel(site, pages, allowed, inline, "/") == htmlcheck._check_files(site, pages, allowed, inline, "/")
    assert htmlcheck.check_pages(site, pages, scripts, example.engine_config) == one_by_one


def _workers_start() -> bool:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            return pool.submit(abs, -1).result() == 1
    except (OSError, NotImplementedError):
        return False


def test_pages_are_read_as_the_engine_s_own_process_writes_them_and_what_they_refuse_fails_the_build(
        example, tmp_path, monkeypatch):
    copy = tmp_path / "brief"
    shutil.copytree(example.root, copy, ignore=shutil.ignore_patterns("site"))
    (copy / ".brief" / "docs" / "narrative.md").write_text("# Narrative\n\nText.\n\n<img src=x onerror=alert(1)>\n",
                                                          encoding="utf-8")
    config, site = copy / ".brief" / "mkdocs.yml", tmp_path / "site"
    told: dict[str, bytes] = {}

    class Recorded(htmlcheck.Watch):
        def page(self, page):
            told[page] = (site / page).read_bytes()  # on disk, whole, when told
            super().page(page)

    watch = Recorded(site, config)
    monkeypatch.setattr(engine, "CHILD_FROM", 1)
    built = engine.build(config, site, epoch=example.history().epoch, watch=watch)
    pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
    assert told == {page: body for page, body in pages.items() if page != "404.html"}  # the 404 page is no page
    line = pages["narrative.html"].decode()[:pages["narrative.html"].decode().index("<img src=x")].count("\n") + 1
    assert watch.found["narrative.html"] == [f"narrative.html:{line}: <img> has an event-handler attribute onerror"]
    read_after = []
    checked = htmlcheck._check_files
    monkeypatch.setattr(htmlcheck, "_check_files", lambda site, pages, *rest: read_after.append(pages) or checked(
        site, pages, *rest))
    with pytest.raises(BuildError) as failed:
        htmlcheck.check_site(site, built.scripts, config, watch=watch)
    assert str(failed.value).splitlines() == ["the built site failed the safety check; nothing was published:",
                                              f"  narrative.html:{line}: <img> has an event-handler attribute onerror"]
    assert read_after == [["404.html"]]  # only what the watch was not told of is read again


def test_a_watch_whose_foresight_failed_leaves_the_whole_check_to_check_site(example, tmp_path):
    site = shutil.copytree(example.site, tmp_path / "site")
    watch = htmlcheck.Watch(site, example.engine_config)
    watch.start()
    watch.page("index.html")
    assert "index.html" in watch.usable(engine.page_scripts(example.engine_config))
    assert watch.usable(["assets/other.js"]) == {}  # read against other scripts than the built site's
    (site / "deeper" / "still").mkdir(parents=True)
    (site / "deeper" / "still" / "page.html").write_text("<p>x</p>", encoding="utf-8")
    assert watch.usable(engine.page_scripts(example.engine_config)) == {}  # a folder depth it did not foresee
