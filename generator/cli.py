"""The `brief` command: thin wrappers over the library, and the one place errors become messages."""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from generator import provenance
from generator.errors import BriefError, ConfigError, ValidationFailed, plural
from generator.facts.models import TLP_LABELS
from generator.facts.text import visible
from generator.project import Project
from generator.tools.scaffold import NEW_KINDS


def cmd_validate(args) -> int:
    """Check every fact file; print each problem as file:line:column: field: message."""
    from generator.facts import captures, dataset, report, sourcing
    from generator.facts.models import SINGULAR

    project = Project.find(args.project)
    data, problems = dataset.collect(dataset.read_folder(project.data), project.data.name)
    problems, warnings = sourcing.checked(data, problems, strict=args.strict)
    hashes = captures.load_hashes(project.work)  # captures unchanged since the last check are not read again
    problems, warnings = captures.checked(data, project.root, problems, warnings, strict=args.strict, hashes=hashes)
    try:
        captures.save_hashes(project.root, project.work, hashes)
    except (OSError, BriefError):
        pass  # a checkout that cannot be written (or whose work folder is a link) is still validated, only not faster
    if args.format != "text":
        print(report.problems(problems, args.format, warnings), end="")
        return 1 if problems else 0
    if problems:
        raise ValidationFailed(problems, warnings)
    print("".join(f"{w}\n" for w in warnings), end="")
    kinds = ("sources", "bases", "flights", "assessments", "events") + (("indicators",) if data.indicators else ())
    counts = ", ".join(plural(len(data.of_kind(k)), SINGULAR[k]) for k in kinds)
    also = f"; {plural(len(warnings), 'warning')} (tradecraft findings)" if warnings else ""
    print(f"{project.data.name}/: valid ({counts}){also}")
    return 0


def cmd_diff(args) -> int:
    """Show the fact changes between two git revisions (default: merge base with main → working tree)."""
    import os

    from generator.tools import diff

    from generator.site import plan as pages

    project = Project.find(args.project)
    base = args.base or diff.default_base(project.root)
    result = diff.compare(project.root, base, args.head or diff.WORKTREE, release=args.release)
    if args.format == "json":
        print(diff.as_json(result), end="")
    elif args.format == "markdown":
        links = None
        if args.site_url:
            from generator.facts import dataset

            current, _ = dataset.collect(dataset.read_folder(project.data))
            current = diff.released(current, args.release)
            links = pages.Links(current) if current else None
        print(diff.as_markdown(result, args.site_url, links), end="")
    else:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        print(diff.as_text(result, colour), end="")
    return 0


def cmd_release_check(args) -> int:
    """Print the label to publish at (brief.yml's publish), or refuse when deploying it could leak."""
    from generator.facts import dataset, loader, markings

    project = Project.find(args.project)
    data = dataset.load(project.data)
    path = project.data / dataset.BRIEF_FILE
    doc = loader.parse(path.read_bytes(), f"{project.data.name}/{dataset.BRIEF_FILE}")
    print(markings.publish_label(data.brief, lambda key: (doc.path, *doc.where((key,), key=True))))
    return 0


def cmd_build(args) -> int:
    """Validate, generate pages and build the site into site/."""
    from generator import build

    project = Project.find(args.project)
    result = build.build(project, strict=not args.no_strict, findings_fatal=args.strict, progress=progress(),
                         release=args.release, csv_bom=args.csv_bom, encrypt=_passphrase(args))
    also = f"; {plural(result.warnings, 'tradecraft finding')}, listed by brief validate" if result.warnings else ""
    sealed = ", encrypted" if args.encrypt else ""
    kept = (f" ({plural(result.rendered, 'page')} rendered again, the rest kept from the last build)"
            if result.rendered is not None else "")
    print(f"built {result.pages} pages into {result.site}{kept}: {edition(result.withheld)}{sealed}{also}")
    if args.zip:
        from generator.site import writer

        writer.zip_tree(result.site, args.zip, result.epoch)
        print(f"wrote {args.zip}: the site as one folder that opens from disk (index.html)")
    return 0


def _passphrase(args) -> str | None:
    """With --encrypt, the passphrase from the environment, checked before any work."""
    if not args.encrypt:
        return None
    from generator.outputs import seal

    return seal.passphrase()


def cmd_pdf(args) -> int:
    """Build the site and print the distribution edition (site/brief.pdf); --full also the complete reference."""
    import shutil

    from generator import build
    from generator.outputs import pdf

    project = Project.find(args.project)
    if args.encrypt and args.output:
        raise ConfigError("--output would copy the PDF unencrypted; with --encrypt it stays sealed inside site/")
    result = build.build(project, pdf=True, full=args.full, progress=progress(), release=args.release,
                         encrypt=_passphrase(args))
    if args.encrypt:
        print(f"wrote the restricted edition into {result.site}, the PDF sealed inside it "
              f"(opened from its banner with the passphrase): {edition(result.withheld)}")
        return 0
    made = [result.site / pdf.PDF_NAME, *([result.site / pdf.FULL_NAME] if args.full else [])]
    if args.output:
        shutil.copyfile(made[-1], args.output)
        made.append(args.output)
    print(f"wrote {', '.join(str(p) for p in made)}: {edition(result.withheld)}")
    return 0


def cmd_synth(args) -> int:
    """Write a synthetic brief of the given size (invented facts, realistic shapes) for scale tests."""
    from generator.tools import synth

    template = Project.find(args.project)
    out = synth.synthesize(args.out, flights=args.flights, bases=args.bases, assessments=args.assessments,
                           seed=args.seed, template=template, indicators=args.indicators)
    print(f"wrote a synthetic brief into {out}: run brief build inside it")
    return 0


def cmd_new(args) -> int:
    """Create a correctly named fact file from options, one or more per field (brief new flight --help lists them).

    brief new observation --base B, evidence --assessment A, stop --flight F and cargo --flight F add to a fact
    already written."""
    from generator.tools import scaffold

    given = scaffold.read(args.fact_kind, args.options)  # refuses an option the kind does not take
    project = Project.find(args.project)
    path = scaffold.create(project.data, args.fact_kind, given)
    print(f"wrote {path.relative_to(project.root)}: review it, then run brief validate")
    return 0


def cmd_schema(args) -> int:
    """Write the JSON Schema of every fact kind (default: schemas/), for editors and tools."""
    from generator.tools import schema

    project = Project.find(args.project)
    for path in schema.write(args.out or project.root / schema.SCHEMA_DIR):
        print(f"wrote {path}")
    return 0


def cmd_serve(args) -> int:
    """Live preview on 127.0.0.1: rebuild what changed in data/, templates/, content/ or mkdocs.yml and reload the browser."""
    from generator.tools import serve

    serve.serve(Project.find(args.project), host=args.host, port=args.port)
    return 0


def cmd_init(args) -> int:
    """Start a new brief in DIR: empty but valid, with its site settings, workflows and editor schemas."""
    from generator.tools import starter

    written = starter.create(args.dir, title=args.title, tlp=args.tlp, edition=args.edition, publisher=args.publisher,
                             intelbrief=args.intelbrief)
    print(f"wrote a new brief into {args.dir} ({len(written)} files): next, brief -C {args.dir} build, "
          "then add facts with brief new")
    return 0


def cmd_import(args) -> int:
    """Import a flight tracker's export (FlightRadar24, OpenSky, readsb) as flights, their source and their tracks."""
    from generator.tools import importers

    project = Project.find(args.project)
    written, note = importers.import_track(project.data, args.file, args.format, args.id, args.source_id,
                                           args.reliability, args.leg, args.publisher, args.tlp)
    print("wrote " + ", ".join(written) + ": review the flight (endpoints, summary, grades), then brief validate")
    if note:
        print(visible(note))
    return 0


def cmd_archive(args) -> int:
    """Keep a capture of a source (WACZ, WARC, PDF, image, text, HTML) in archive/, hashed, and record it on the source."""
    from generator.tools import archiver

    project = Project.find(args.project)
    kept, entry = archiver.add(project, args.source, args.file, url=args.url, captured=args.captured,
                               method=args.method)
    print(f"kept {kept.relative_to(project.root)} (sha256 {entry['sha256']}, captured {entry['captured']}, "
          f"{entry['url']}) and recorded it in data/sources/{args.source}.yml: review it, then brief validate")
    return 0


def edition(withheld) -> str:
    """What a build made, in words: the full edition or a release, and whether facts were left out."""
    from generator.facts import markings

    return markings.describe(withheld)


def progress():
    """Staged messages on a terminal, with a bar counting the pages while the site engine runs; nothing when output
    goes to a file or CI."""
    import os

    from generator.progress import Stages

    if not sys.stderr.isatty() or os.environ.get("CI") == "true":
        return None
    return Stages(sys.stderr)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="brief", description="Build an intelligence brief from YAML facts.")
    top.add_argument("--version", action="version", version=provenance.describe())
    top.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")
    top.add_argument("-C", dest="project", type=Path, default=None, metavar="DIR",
                     help="the brief's folder (default: the one containing the working directory)")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, func, extra in COMMANDS:
        sub = commands.add_parser(name, help=func.__doc__.splitlines()[0], description=func.__doc__)
        for flags, options in extra:
            sub.add_argument(*flags, **options)
        sub.set_defaults(func=func)
    return top


RELEASE = (("--release",), {"choices": TLP_LABELS, "default": None, "metavar": "LABEL",
                            "help": "build the edition for this TLP label: facts marked above it are left out "
                                    f"everywhere ({', '.join(TLP_LABELS)})"})
STRICT = {"action": "store_true", "help": "treat tradecraft findings (warnings such as single-origin-high-confidence) "
                                        "as errors"}
ENCRYPT = (("--encrypt",), {"action": "store_true",
                           "help": "encrypt every page and data file with the passphrase in $BRIEF_PASSPHRASE"})
COMMANDS = [
    ("validate", cmd_validate, [(("--format",), {"choices": ["text", "github", "json"], "default": "text",
                                                 "help": "text for people, github for workflow annotations, json for tools"}),
                                (("--strict",), STRICT)]),
    ("diff", cmd_diff, [(("base",), {"nargs": "?", "default": None, "help": "git revision to compare from"}),
                        (("head",), {"nargs": "?", "default": None, "help": "git revision to compare to (default: the working tree)"}),
                        (("--format",), {"choices": ["text", "markdown", "json"], "default": "text",
                                         "help": "text (coloured on a terminal), markdown for a pull-request comment, json"}),
                        (("--site-url",), {"default": None, "help": "preview site address to link facts to (markdown)"}),
                        RELEASE]),
    ("build", cmd_build, [(("--strict",), STRICT),
                          (("--no-strict",), {"action": "store_true",
                                              "help": "do not fail on the site engine's warnings (broken links, missing pages)"}),
                          RELEASE,
                          (("--zip",), {"type": Path, "default": None, "metavar": "FILE",
                                        "help": "also write the built site as a zip to hand over"}),
                          (("--csv-bom",), {"action": "store_true",
                                            "help": "start the CSV exports with a UTF-8 byte-order mark (for Excel on Windows)"}),
                          ENCRYPT]),
    ("release-check", cmd_release_check, []),
    ("pdf", cmd_pdf, [RELEASE, (("--full",), {"action": "store_true",
                                              "help": "also print the complete reference, the annex (site/brief-full.pdf)"}),
                      (("--output", "-o"), {"type": Path, "default": None, "metavar": "FILE",
                                            "help": "also copy the PDF (with --full, the complete reference) to FILE"}),
                      ENCRYPT]),
    ("synth", cmd_synth, [(("--flights",), {"type": int, "default": 1000, "help": "number of flights"}),
                          (("--bases",), {"type": int, "default": 50, "help": "number of bases"}),
                          (("--assessments",), {"type": int, "default": 100, "help": "number of assessments"}),
                          (("--indicators",), {"type": int, "default": 50, "help": "number of indicators"}),
                          (("--seed",), {"type": int, "default": 1, "help": "random seed: same seed, same bytes"}),
                          (("--out",), {"type": Path, "required": True, "metavar": "DIR", "help": "new folder to write"})]),
    ("new", cmd_new, [(("fact_kind",), {"choices": NEW_KINDS, "metavar": "KIND",
                                        "help": "the kind of fact to create: " + ", ".join(NEW_KINDS)}),
                      (("options",), {"nargs": argparse.REMAINDER, "metavar": "OPTION",
                                      "help": "its fields, as brief new KIND --help lists them"})]),
    ("schema", cmd_schema, [(("--out",), {"type": Path, "default": None, "metavar": "DIR",
                                          "help": "folder to write the schemas to (default: schemas/)"})]),
    ("import", cmd_import, [(("what",), {"choices": ["track"], "help": "what to import: a position track"}),
                            (("file",), {"type": Path, "metavar": "FILE", "help": "the tracker's export file"}),
                            (("--format",), {"choices": ["fr24", "fr24-granular", "fr24-json", "opensky", "readsb"],
                                             "default": None, "help": "the file's format (default: detected from its content)"}),
                            (("--leg",), {"type": int, "default": None, "metavar": "N",
                                          "help": "import only leg N of a file that holds several flights"}),
                            (("--publisher",), {"default": None,
                                                "help": "who published the export, when the file does not say (default: unknown)"}),
                            (("--id",), {"default": None, "help": "id of the new flight (default: callsign and date)"}),
                            (("--source-id",), {"default": None, "help": "id of the new source (default: format and flight id)"}),
                            (("--reliability",), {"choices": list("ABCDEF"), "default": "B",
                                                  "help": "Admiralty reliability of the export as a source (default B)"}),
                            (("--tlp",), {"choices": TLP_LABELS, "default": None, "metavar": "LABEL",
                                          "help": "TLP 2.0 marking of the flight, track and source written "
                                                  "(default: the brief's tlp)"})]),
    ("archive", cmd_archive, [(("what",), {"choices": ["add"], "help": "add: keep a new capture of a source"}),
                              (("source",), {"metavar": "SOURCE", "help": "id of the source the capture is of"}),
                              (("file",), {"type": Path, "metavar": "FILE", "help": "the capture: .wacz, .warc, "
                                           ".warc.gz, .pdf, .png, .jpg, .webp, .txt or .html"}),
                              (("--url",), {"default": None, "help": "the address captured (default: from the file)"}),
                              (("--captured",), {"default": None, "metavar": "TIME",
                                                 "help": "when it was captured, ISO 8601 with Z or an offset "
                                                         "(default: from the file)"}),
                              (("--method",), {"default": None, "help": "how it was captured, e.g. "
                                               "'ArchiveWeb.page 0.x' (default: the tool the file names, else "
                                               "its kind)"})]),
    ("init", cmd_init, [(("dir",), {"type": Path, "metavar": "DIR", "help": "the new brief's folder (new or empty)"}),
                        (("--title",), {"default": None, "help": "the brief's title (default: a placeholder to fill in)"}),
                        (("--tlp",), {"default": None, "help": "TLP 2.0 marking of the whole brief (default: TLP:AMBER)"}),
                        (("--edition",), {"default": None, "help": "edition date, YYYY-MM-DD (default: today)"}),
                        (("--publisher",), {"default": None, "help": "who issues the brief"}),
                        (("--intelbrief",), {"default": None, "metavar": "SPEC",
                                             "help": "where the workflows install intelbrief from (pip: git+https://…@commit)"})]),
    ("serve", cmd_serve, [(("--host",), {"default": "127.0.0.1", "help": "address to listen on"}),
                          (("--port",), {"type": int, "default": 8000, "help": "port to listen on"})]),
]


READ_ONLY = ("validate", "diff", "release-check")  # commands that never write: their errors do not say "nothing was written"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationFailed as err:
        print(err.report(writes=args.command not in READ_ONLY), file=sys.stderr)
        return 1
    except BriefError as err:
        print("\n".join(visible(line) for line in f"error: {err}".split("\n")), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the published site is unchanged", file=sys.stderr)
        return 130
    except Exception as err:  # the one boundary: anything unexpected is still reported, not dumped
        if args.debug:
            traceback.print_exc()
        else:
            print(visible(f"internal error: {type(err).__name__}: {err} (run with --debug for details)"), file=sys.stderr)
        return 2
