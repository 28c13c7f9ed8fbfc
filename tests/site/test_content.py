"""Hand-written pages run in a sandbox: figures, charts, links, scales and the marking, and nothing else."""
import pytest

from generator import cli

ALLOWED = "only figures, chart(…), link(…), page_link(…), probability, credibility, reliability, gaps and brief in a content page's {{ … }} parts"


@pytest.mark.parametrize("source, problem", [
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}",
     "access to attribute '__init__' of 'StrictUndefined' object is unsafe"),
    ("{{ lipsum.__globals__['os'].system('id') }}", "'lipsum' is undefined"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "access to attribute '__class__' of 'str' object is unsafe"),
    ("{{ figures.__class__ }}", "access to attribute '__class__' of 'dict' object is unsafe"),
    ("{{ chart.__globals__ }}", "access to attribute '__globals__' of 'function' object is unsafe"),
    ("{{ probability.clear() }}", "access to attribute 'clear' of 'dict' object is unsafe"),
    ("{{ figures.clear() }}", "access to attribute 'clear' of 'dict' object is unsafe"),  # worked out when first used
    ("{{ figures['bases_by_status'].clear() }}", "access to attribute 'clear' of 'dict' object is unsafe"),
    ("{{ data.flights }}", "'data' is undefined"),
    ("{% include '/etc/passwd' %}", "'/etc/passwd' cannot be included or imported by a content page"),
])
def test_a_content_page_cannot_reach_past_its_whitelist(brief, capsys, source, problem):
    project = brief({"content/evil.md": f"# Evil\n\n{source}\n"})
    assert cli.main(["-C", str(project.root), "build"]) == 1
    out, err = capsys.readouterr()
    assert err == f"error: content/evil.md:3: {problem}, expected {ALLOWED}\n"
    assert not project.site.exists()


def test_a_content_page_uses_figures_charts_links_scales_and_the_marking(brief, capsys):
    page = ("# Fine\n\n{{ figures.sources }} source(s), marked {{ brief.tlp }}, edition {{ brief.edition.isoformat() }}.\n"
            "{% for grade, meaning in reliability.items() %}{{ grade }} {% endfor %}\n\n"
            "[the report]({{ link('sources', 'report') }})\n\n{{ chart('timeline') }}\n")
    project = brief({"content/fine.md": page})
    assert cli.main(["-C", str(project.root), "build"]) == 0
    html = (project.site / "fine.html").read_text(encoding="utf-8")
    assert "1 source(s), marked TLP:CLEAR, edition 2024-12-16." in html
    assert "A B C D E F" in html and 'href="sources.html#source-report"' in html and 'id="timeline-chart"' in html
