"""Make the site's Latin cuts of the brief's fonts (IBM Plex), which a reader's browser loads instead of the whole faces.

Each face in generator/assets/vendor/fonts/ (about 900 glyphs: Latin, Greek, Cyrillic, Vietnamese) is cut down to the
characters English-language briefs use (LATIN below: Basic Latin, Latin-1, Latin Extended-A, punctuation, arrows,
a few signs), about 40 % of its size, as NAME-latin.woff2 beside it. The site's stylesheet (brief.css) declares every
face twice: the cut with a unicode-range of exactly the characters it holds, and the whole file with every other
character (both ranges printed by this tool). A page in English loads only the cuts; a page holding any other
character (a Cyrillic name, say) also loads the whole face, for that character only. Ranges that do not overlap also
keep a script's document.fonts.load() or check() of a family to the cut. The distribution PDF embeds the whole faces;
the full reference, printed from the site's pages, embeds the cuts.

Run again only when the vendored fonts change: `python tools/subset_fonts.py` (needs fontTools with WOFF2 support,
`pip install 'fonttools[woff]==4.69.1'`, outside the project's environment: the cuts are committed, nothing at build
time needs fontTools), then copy the ranges it prints into brief.css. The cuts are renamed (Brief Sans Latin, Brief
Mono Latin): the faces' licence reserves the name Plex, which no modified version may carry; the stylesheet's own
family names are unchanged.
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parents[1] / "generator" / "assets" / "vendor" / "fonts"
FACES = ("IBMPlexSans-Regular", "IBMPlexSans-Italic", "IBMPlexSans-SemiBold", "IBMPlexSans-Bold", "IBMPlexMono-Regular")
# What English-language briefs write: letters with the accents of European names (Ł, ń, ş, ó), dashes, quotes,
# ellipsis, arrows (routes: → ⇄), the euro, trade mark, minus, ≤ ≥ ≠.
LATIN = ("U+0000-017F,U+0192,U+02C6-02DD,U+2000-206F,U+20AC,U+2122,U+2190-21FF,U+2212,U+2215,U+2260,U+2264-2265,"
         "U+FEFF,U+FFFD")

CONTROLS = set(range(0x00, 0x20)) | set(range(0x7F, 0xA0))


def ranges(codepoints) -> str:
    """A CSS unicode-range listing exactly these code points, runs folded."""
    runs: list[list[int]] = []
    for c in sorted(codepoints):
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def cut(face: str) -> set[int]:
    source, target = FONTS / f"{face}.woff2", FONTS / f"{face}-latin.woff2"
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # kerning and every OpenType feature the whole face has
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=subset.parse_unicodes(LATIN))
    cutter.subset(font)
    renamed(font)
    subset.save_font(font, str(target), options)
    held = TTFont(target).getBestCmap()
    print(f"{target.name}: {target.stat().st_size:,} bytes (whole face {source.stat().st_size:,}), "
          f"{len(held)} characters", file=sys.stderr)
    # control characters (a text's leading newline, say) hold no glyph: named in the range all the same, or a browser
    # that picks a face by a text's first character would load the whole face for them
    return set(held) | CONTROLS


RESERVED = "Plex"  # the Reserved Font Name of the faces' licence (OFL.txt): no modified version may carry it


def renamed(font: TTFont) -> None:
    """The cut's names without the Reserved Font Name, as the SIL Open Font License asks of a modified version:
    "IBM Plex Sans" becomes "Brief Sans Latin". The copyright, version and licence entries are kept as they are."""
    table = font["name"]
    for record in table.names:
        if record.nameID in (1, 3, 4, 6, 16, 17, 18, 21):
            text = record.toUnicode()
            text = text.replace("IBM Plex ", "Brief ").replace("IBMPlex", "Brief").replace("IBM ;", "")
            if record.nameID in (1, 16, 21):
                text += " Latin"
            elif record.nameID in (3, 4, 6, 18):
                text = text.replace("Brief Sans", "Brief Sans Latin").replace("Brief Mono", "Brief Mono Latin") \
                           .replace("BriefSans", "BriefSansLatin").replace("BriefMono", "BriefMonoLatin")
            table.setName(text, record.nameID, record.platformID, record.platEncID, record.langID)
    left = [r.nameID for r in table.names if r.nameID not in (0, 7, 13, 14) and RESERVED in r.toUnicode()]
    if left:
        raise SystemExit(f"the cut still names {RESERVED} in name entries {sorted(set(left))}")


if __name__ == "__main__":
    for name in FACES:
        held = cut(name)
        print(f"{name}-latin: unicode-range: {ranges(held)};")
        print(f"{name}: unicode-range: {ranges(set(range(0x110000)) - held)};")
