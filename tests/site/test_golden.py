"""The example brief's pages say exactly what the reviewed golden texts say (regenerate: make golden)."""
from tests.golden import HERE, site_texts


def test_every_page_of_the_example_reads_as_its_golden_text(example):
    built = site_texts(example.site)
    golden = {p.name: p.read_text(encoding="utf-8") for p in sorted(HERE.glob("*.txt"))}
    assert sorted(built) == sorted(golden), "pages added or removed: run `make golden` and review the diff"
    changed = [name for name in golden if built[name] != golden[name]]
    assert not changed, f"page text changed in {changed}: run `make golden` and review the diff"
