"""What a phone on a slow line waits for: the fonts' Latin cuts; text that stays put when IBM Plex replaces its
stand-in."""
import re
from pathlib import Path

import pytest

from generator import build
from generator.outputs.browser import serving
from tests.browser.conftest import PHONE
from tests.tools.test_synth import synth

FONTS = Path(build.FONTS)
BRIEF_CSS = Path(build.ASSETS) / "brief" / "brief.css"

# The fonts each font request named, as the page's resource timing lists them.
FONT_FILES = "() => performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.woff2'))" \
             ".map(n => n.split('/').pop()).sort()"


def test_an_english_page_loads_only_the_latin_cuts_of_its_fonts(reader, site_url):
    page = reader.open(site_url + "assessments.html")
    page.evaluate("() => document.fonts.ready")
    loaded = page.evaluate(FONT_FILES)
    assert "IBMPlexSans-Regular-latin.woff2" in loaded, loaded
    assert all(name.endswith("-latin.woff2") for name in loaded), loaded


def test_a_character_outside_the_cut_loads_the_whole_face_and_is_set_in_plex(reader, site_url):
    page = reader.open(site_url + "index.html")
    page.evaluate("""() => { const p = document.createElement('p'); p.id = 'cyrillic';
        p.textContent = 'Жуковский'; document.querySelector('article').append(p); }""")
    page.wait_for_function(f"() => ({FONT_FILES})().includes('IBMPlexSans-Regular.woff2')")
    page.evaluate("() => document.fonts.ready")
    # the word is as wide as IBM Plex Sans's own glyphs make it (measured apart, from the whole face)
    widths = page.evaluate("""async () => {
        const whole = new FontFace('Whole', 'url(assets/brief/fonts/IBMPlexSans-Regular.woff2)');
        document.fonts.add(await whole.load());
        const p = document.getElementById('cyrillic'), size = getComputedStyle(p).fontSize;
        const c = document.createElement('canvas').getContext('2d');
        c.font = size + ' Whole'; const apart = c.measureText(p.textContent).width;
        const range = document.createRange(); range.selectNodeContents(p);
        return [range.getBoundingClientRect().width, apart]; }""")
    assert widths[0] == pytest.approx(widths[1], abs=0.5), widths


def _ranges(css: str, file: str) -> str:
    return re.search(rf'src: url\("fonts/{file}"\)[^}}]*?unicode-range: ([^;]+);', css).group(1)


def _codes(ranges: str) -> set[int]:
    return {c for a, b in ((int(x, 16), int(y or x, 16)) for x, y in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", ranges))
            for c in range(a, b + 1)}


def _cut_faces() -> list[tuple[str, str, str]]:
    """(whole file, cut file, the cut's unicode-range) of each face brief.css declares twice."""
    css = BRIEF_CSS.read_text(encoding="utf-8")
    cuts = re.findall(r'src: url\("fonts/([\w-]+)-latin\.woff2"\)', css)
    assert len(cuts) == 5, "brief.css declares a Latin cut of each of the five faces"
    return [(f"{whole}.woff2", f"{whole}-latin.woff2", _ranges(css, f"{whole}-latin.woff2")) for whole in cuts]


def test_the_cut_and_the_whole_face_share_out_every_character_between_them():
    """Each character goes to exactly one file of a face: the cut or the whole face (so a script's
    document.fonts.load() of the family asks for the cut alone)."""
    css = BRIEF_CSS.read_text(encoding="utf-8")
    for whole, cut, ranges in _cut_faces():
        in_cut, in_whole = _codes(ranges), _codes(_ranges(css, whole))
        assert not in_cut & in_whole, whole
        assert in_cut | in_whole == set(range(0x110000)), whole


def test_each_latin_cut_holds_every_character_its_range_names_as_the_whole_face_draws_it(reader, site_url):
    """Each character of a cut's unicode-range, set in the cut alone and in the whole face alone, takes the same
    width: a character the range names but the cut lacks would fall back to another font (and another width)."""
    page = reader.open(site_url + "index.html")
    for whole, cut, ranges in _cut_faces():
        codes = sorted(c for c in _codes(ranges) if c > 0x20 and not 0x7F <= c < 0xA0 and c not in (0x2028, 0x2029))
        assert len(codes) > 300, cut
        differ = page.evaluate("""async ([whole, cut, codes]) => {
            const faces = [new FontFace('WholeFace', `url(assets/brief/fonts/${whole})`),
                           new FontFace('CutFace', `url(assets/brief/fonts/${cut})`)];
            for (const f of faces) document.fonts.add(await f.load());
            const c = document.createElement('canvas').getContext('2d');
            const width = (family, ch) => { c.font = `100px ${family}, monospace`; return c.measureText(ch).width; };
            const out = codes.map(code => String.fromCodePoint(code))
                .filter(ch => Math.abs(width('WholeFace', ch) - width('CutFace', ch)) > 0.01)
                .map(ch => ch.codePointAt(0).toString(16));
            faces.forEach(f => document.fonts.delete(f));
            return out; }""", [whole, cut, codes])
        assert differ == [], (cut, differ)


def test_the_latin_cuts_are_well_under_half_the_whole_faces():
    for whole, cut, _ in _cut_faces():
        assert (FONTS / cut).stat().st_size < 0.5 * (FONTS / whole).stat().st_size, cut


# A brief with more assessments than one page shows: its assessments come in 40 parts, each page opening on the list.
@pytest.fixture(scope="module")
def parted_site(tmp_path_factory):
    from generator.project import Project

    project = Project(synth(tmp_path_factory.mktemp("parted") / "brief", flights=60, bases=5, assessments=1000,
                            indicators=5))
    build.build(project)
    with serving(project.site) as url:
        yield url


PART_BOXES = """() => [...document.querySelectorAll('.brief-parts > *')].map(el => {
    const r = el.getBoundingClientRect(); return [el.textContent.trim(), Math.round(r.left), Math.round(r.top)]; })"""


def test_a_list_of_parts_wraps_at_the_same_places_in_a_narrower_stand_in_font(reader, parted_site):
    """Set in IBM Plex Sans scaled to 94 % (about the stand-in's digit width) and in IBM Plex Sans, the list's
    numbers sit at the same places, over more than one line on a phone."""
    reader.roots.append(parted_site)
    reader.page.set_viewport_size(PHONE)
    page = reader.open(parted_site + "assessments.html")
    page.evaluate("() => document.fonts.ready")
    plex = page.evaluate(PART_BOXES)
    assert [text for text, _, _ in plex][:3] == ["Parts: 1", "· 2", "· 3"] and plex[-1][0] == "· 40", plex
    assert len({top for _, _, top in plex}) > 1, plex  # it wraps
    page.evaluate("""async () => {
        const narrow = new FontFace('Narrower', 'url(assets/brief/fonts/IBMPlexSans-Regular.woff2)',
                                    {sizeAdjust: '94%'});
        document.fonts.add(await narrow.load());
        document.querySelector('.brief-parts').style.fontFamily = 'Narrower'; }""")
    narrower = page.evaluate(PART_BOXES)
    assert narrower == plex


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def test_every_part_link_is_a_target_a_finger_can_hit(reader, parted_site):
    """axe-core's target-size rule (WCAG 2.2, 24 px or spaced): each link of the list sits in text, as in a sentence."""
    reader.roots.append(parted_site)
    reader.page.set_viewport_size(PHONE)
    page = reader.open(parted_site + "assessments-2.html")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {runOnly: ['target-size']})).violations"
                          ".flatMap(v => v.nodes.map(n => n.target.join(' ')))")
    assert found == []


HOLD_FONTS = """() => { window.shifts = []; new PerformanceObserver(list => { for (const e of list.getEntries())
    window.shifts.push({at: e.startTime, value: e.value}); }).observe({type: 'layout-shift', buffered: true}); }"""


@pytest.mark.parametrize("width", [375, 412, 430])
def test_nothing_moves_when_plex_replaces_the_stand_in_on_the_parted_assessments_page(browser, parted_site, width):
    """At a phone's width, the page is shown in the stand-in font while IBM Plex is held back, then Plex arrives: the
    layout shifts the browser reports after that add up to under 0.01 (a phone's "good" is under 0.1; 0.14 on the
    10,000-flight brief before the list of parts was set in boxes)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True)
    try:
        page = context.new_page()
        held, released = [], []

        def hold(route):
            (route.continue_() if released else held.append(route))

        page.route("**/*.woff2", hold)
        page.goto(parted_site + "assessments.html", wait_until="domcontentloaded")
        page.evaluate(HOLD_FONTS)
        page.wait_for_function("() => document.querySelector('article p')")
        stand_in = page.evaluate("""async () => (await Promise.all([...document.fonts]
            .filter(f => f.family.includes('Fallback')).map(f => f.load().then(() => 1, () => 0)))).every(Boolean)""")
        if not stand_in:
            pytest.skip("the stand-in font (DejaVu Sans) is not installed here: Plex replaces another font")
        page.wait_for_timeout(300)  # painted in the stand-in
        arrived = page.evaluate("() => performance.now()")
        released.append(True)
        while held:
            held.pop().continue_()
        page.wait_for_function("() => document.fonts.status === 'loaded' && document.fonts.check('16px \"IBM Plex Sans\"')")
        page.wait_for_timeout(300)
        moved = page.evaluate("at => window.shifts.filter(s => s.at >= at).reduce((sum, s) => sum + s.value, 0)", arrived)
        assert moved < 0.01, moved
    finally:
        context.close()
