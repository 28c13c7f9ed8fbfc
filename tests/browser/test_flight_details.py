"""A flight log's details on a phone: laid out only near the screen while the page loads, yet every entry is reached
by its anchor, found in the page and printed."""
from tests.browser.conftest import PHONE

LOG = "flights/2024-12.html"
# Whether each detail section's content is laid out and painted now (not skipped by `content-visibility: auto`).
SHOWN = """async () => { await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    return [...document.querySelectorAll('section.brief-flight')].map(s => ({
    id: s.id, top: s.getBoundingClientRect().top, heading: s.querySelector('h3').textContent,
    shown: s.querySelector('ul').checkVisibility({contentVisibilityAuto: true})})); }"""


def test_on_a_phone_details_far_below_the_screen_are_not_laid_out_until_they_come_near(reader, site_url):
    reader.page.set_viewport_size(PHONE)
    page = reader.open(site_url + LOG)
    sections = page.evaluate(SHOWN)
    far = [s for s in sections if s["top"] > 2.5 * PHONE["height"]]  # Chromium lays out what is nearer
    assert far and not any(s["shown"] for s in far), sections
    assert all(s["shown"] for s in sections if s["top"] < PHONE["height"]), sections
    page.evaluate("id => document.getElementById(id).scrollIntoView()", far[-1]["id"])
    page.wait_for_function("id => document.getElementById(id).querySelector('ul').checkVisibility({contentVisibilityAuto: true})",
                           arg=far[-1]["id"])


def test_every_detail_is_reached_by_its_anchor_and_shown_at_the_top_of_the_screen(reader, site_url):
    reader.page.set_viewport_size(PHONE)
    ids = reader.open(site_url + LOG).evaluate(SHOWN)
    assert len(ids) >= 3
    for section in reversed(ids):  # the last first: every section above it is still skipped
        page = reader.open(site_url + LOG + "#" + section["id"])
        shown = page.evaluate("""id => { const s = document.getElementById(id), h = s.querySelector('h3');
            const box = h.getBoundingClientRect();
            return {top: box.top, height: box.height, text: h.innerText, laid: h.checkVisibility({contentVisibilityAuto: true}),
                    under: document.elementFromPoint(box.left + 2, box.top + box.height / 2).closest('section')?.id}; }""",
                              section["id"])
        assert shown["laid"] and shown["under"] == section["id"], shown
        assert 0 <= shown["top"] < PHONE["height"] / 2 and shown["height"] > 0, shown
        assert " ".join(shown["text"].split()) == " ".join(section["heading"].split())


def test_text_of_a_detail_not_yet_laid_out_is_found_in_the_page(reader, site_url):
    reader.page.set_viewport_size(PHONE)
    page = reader.open(site_url + LOG)
    last = page.evaluate(SHOWN)[-1]
    assert not last["shown"]
    heading = " ".join(last["heading"].split())
    # the heading is also in the flight table above: search from the section before the last one
    page.evaluate("id => window.getSelection().collapse(document.getElementById(id).previousElementSibling, 0)", last["id"])
    assert page.evaluate("words => window.find(words)", heading)
    assert page.evaluate("id => document.getElementById(id).contains(window.getSelection().anchorNode)", last["id"])


def test_on_paper_every_detail_is_laid_out(reader, site_url):
    reader.page.set_viewport_size(PHONE)
    page = reader.open(site_url + LOG)
    page.emulate_media(media="print")
    try:
        sections = page.evaluate(SHOWN)
        styles = page.eval_on_selector_all("section.brief-flight", "ss => ss.map(s => getComputedStyle(s).contentVisibility)")
    finally:
        page.emulate_media(media="screen")
    assert sections and all(s["shown"] for s in sections) and set(styles) == {"visible"}
