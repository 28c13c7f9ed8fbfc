"""The file system as an attacker shapes it: links out of the brief, dangling links, pipes, folders named like
files, a locked or read-only build, and writes that must never follow a link. Each case gives exactly these lines."""
import os
import threading

import pytest

from generator import build, cli, disk
from tests.trees import flight

TRACK = ('{"schema": "intelbrief-track/1", "points": [\n  ["2024-12-14T00:52:00Z", 53.9, 28.0, 0],\n'
         '  ["2024-12-14T01:02:00Z", 53.1, 27.8, 7000]\n]}\n')


def link(path, target):
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def nested(path, depth):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"schema": "intelbrief-track/1", "points": ' + "[" * depth + "]" * depth + "}")


def big(path, size):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b" " * size)


# (what the data folder gets, the exact lines brief validate prints)
DATA_CASES = [
    ("link to /etc/passwd", lambda d: link(d / "sources" / "passwd.yml", "/etc/passwd"), [
        "data/sources/passwd.yml:1:1: symbolic link to /etc/passwd leads outside the brief, expected a file inside "
        "the brief's folder [symlink-outside]"]),
    ("dangling link", lambda d: link(d / "sources" / "gone.yml", "/nowhere/gone.yml"), [
        "data/sources/gone.yml:1:1: symbolic link to /nowhere/gone.yml leads nowhere, expected a file inside the "
        "brief [dangling-symlink]"]),
    ("link to a folder outside", lambda d: link(d / "flights" / "elsewhere", "/etc"), [
        "data/flights/elsewhere:1:1: symbolic link to /etc leads outside the brief, expected a file inside the "
        "brief's folder [symlink-outside]"]),
    ("named pipe in tracks", lambda d: (d / "tracks").mkdir() or os.mkfifo(d / "tracks" / "pipe.json"), [
        "data/tracks/pipe.json:1:1: is a named pipe, expected a file [not-a-file]"]),
    ("folder named x.json", lambda d: (d / "tracks" / "x.json").mkdir(parents=True), [
        "data/tracks/x.json:1:1: is a folder, expected a file [not-a-file]"]),
    ("dangling track link", lambda d: link(d / "tracks" / "t.json", "../../nowhere.json"), [
        "data/tracks/t.json:1:1: symbolic link to ../../nowhere.json leads nowhere, expected a file inside the "
        "brief [dangling-symlink]"]),
    ("deeply nested track", lambda d: nested(d / "tracks" / "deep.json", 100_000), [
        "data/tracks/deep.json:1:1: JSON nested too deeply, expected a flat export [too-deep]"]),
    ("track over its size", lambda d: big(d / "tracks" / "huge.json", 300_000), [
        "data/tracks/huge.json:1:1: file is 300,000 bytes, expected at most 262,144 bytes per track file "
        "[file-too-large]"]),
    ("fact file of 50 MB", lambda d: big(d / "flights" / "huge.yml", 50_000_000), [
        "data/flights/huge.yml:1:1: file is 50,000,000 bytes, expected at most 262,144 bytes per fact file "
        "[file-too-large]"]),
    ("NaN in a kept track", lambda d: (d / "tracks").mkdir() or (d / "tracks" / "n.json").write_text(
        TRACK.replace("53.9", "NaN")), [
        "data/tracks/n.json:2:28: NaN is not a number JSON allows, expected a finite number [not-a-number]"]),
]


@pytest.mark.parametrize("setup, lines", [c[1:] for c in DATA_CASES], ids=[c[0] for c in DATA_CASES])
def test_validate_refuses_what_the_data_folder_must_not_hold(brief, capsys, setup, lines):
    project = brief({})
    setup(project.data)
    assert cli.main(["-C", str(project.root), "validate"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == lines + [f"{len(lines)} error{'s' if len(lines) > 1 else ''}."]


def test_a_link_that_stays_inside_the_brief_is_read(brief, capsys):
    project = brief({"shared/report-2.yml": "id: report-2\ntitle: T\npublisher: p\npublished: unknown\nkind: news\n"
                                            "reliability: B\n"})
    link(project.data / "sources" / "report-2.yml", "../../shared/report-2.yml")
    assert cli.main(["-C", str(project.root), "validate"]) == 0
    assert capsys.readouterr().out == "data/: valid (2 sources, 0 bases, 0 flights, 0 assessments, 0 events)\n"


@pytest.mark.parametrize("folder, name, target, line", [
    ("content", "environ.md", "/proc/self/environ",
     "content/environ.md:1:1: symbolic link to /proc/self/environ leads outside the brief, expected a file inside "
     "the brief's folder [symlink-outside]"),
    ("content", "gone.md", "/nowhere",
     "content/gone.md:1:1: symbolic link to /nowhere leads nowhere, expected a file inside the brief [dangling-symlink]"),
    ("templates", "planted.md.j2", "/etc/passwd",
     "templates/planted.md.j2:1:1: symbolic link to /etc/passwd leads outside the brief, expected a file inside the "
     "brief's folder [symlink-outside]"),
])
def test_build_refuses_links_out_of_content_and_templates_and_publishes_nothing(brief, capsys, folder, name, target,
                                                                                  line):
    project = brief({})
    link(project.root / folder / name, target)
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert capsys.readouterr().err.splitlines() == [line, "1 error; nothing was written."]
    assert not project.site.exists()


@pytest.mark.parametrize("owned", ["site", ".brief"])
def test_build_refuses_a_site_or_work_folder_that_is_a_link_and_leaves_nothing_behind(brief, capsys, tmp_path, owned):
    project = brief({})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not the brief's")
    link(project.root / owned, elsewhere)
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert capsys.readouterr().err == (f"{owned}:1:1: is a symbolic link to {elsewhere}, expected a folder that brief "
                                       "build and brief serve own; remove the link [owned-symlink]\n"
                                       "1 error; nothing was written.\n")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert not [p for p in project.root.iterdir() if p.name.startswith("site.")]


def test_a_second_build_while_one_runs_is_told_so(brief, capsys):
    project = brief({})
    holding, release = threading.Event(), threading.Event()

    def hold():
        with disk.lock(project.root, "build"):
            holding.set()
            release.wait(30)

    other = threading.Thread(target=hold)
    other.start()
    try:
        holding.wait(30)
        assert cli.main(["-C", str(project.root), "build"]) == 1
    finally:
        release.set()
        other.join()
    assert capsys.readouterr().err == ("error: another build is running in this brief (brief build, brief pdf or brief serve rebuilding), "
                                       "expected one build at a time: "
                                       "wait for it to finish\n")


def test_a_site_folder_that_cannot_be_written_is_one_line_and_the_old_site_stays(brief, capsys, monkeypatch):
    project = brief({})
    project.site.mkdir()
    (project.site / "index.html").write_text("the published edition")

    def refused(stage, site):  # what renaming into a read-only folder raises
        raise PermissionError(13, "Permission denied", str(site))

    monkeypatch.setattr(build.writer, "swap", refused)
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert capsys.readouterr().err == (f"error: {project.site}: cannot write (Permission denied), expected folders "
                                       "brief build may write; the published site is unchanged\n")
    assert (project.site / "index.html").read_text() == "the published edition"
    assert not [p for p in project.root.iterdir() if p.name.startswith("site.")]


def test_brief_new_never_writes_through_a_dangling_link(brief, capsys, tmp_path):
    project = brief({})
    outside = tmp_path / "outside.yml"
    link(project.data / "sources" / "planted.yml", outside)
    args = ["-C", str(project.root), "new", "source", "--id", "planted", "--title", "T", "--kind", "news",
            "--reliability", "B"]
    assert cli.main(args) == 1
    assert capsys.readouterr().err == f"error: {project.data / 'sources' / 'planted.yml'}: already exists, expected a new id\n"
    assert not outside.exists()


def test_brief_import_track_never_writes_through_a_dangling_link(brief, capsys, tmp_path):
    from tests.tools.test_importers import SAMPLES

    project = brief({})
    outside = tmp_path / "outside.json"
    link(project.data / "tracks" / "planted.json", outside)
    args = ["-C", str(project.root), "import", "track", str(SAMPLES / "readsb-15188a.json"), "--id", "planted"]
    assert cli.main(args) == 1
    assert capsys.readouterr().err == "error: data/tracks/planted.json already exists, expected a new flight id (use --id)\n"
    assert not outside.exists() and not (project.data / "flights" / "planted.yml").exists()


@pytest.mark.parametrize("args, message", [
    (["new", "flight", "--id", "new\n", "--origin", "SY", "--destination", "LY", "--basis", "reported",
      "--source", "report"],
     "error: brief new flight: id: 'new\\n' is not a valid id, expected lower-case letters, digits and single hyphens "
     "(for example hmeimim-air-base)"),
    (["new", "base", "--id", "index", "--name", "Index", "--country", "SY", "--kind", "air base", "--source", "report"],
     "error: brief new base: id: 'index' is reserved for a page the brief generates, expected another id"),
])
def test_brief_new_refuses_ids_with_line_breaks_and_reserved_ids(brief, capsys, args, message):
    project = brief({})
    assert cli.main(["-C", str(project.root), *args]) == 1
    assert capsys.readouterr().err == message + "\n"
    assert sorted(p.name for p in project.data.rglob("*.yml")) == ["brief.yml", "report.yml"]


def test_brief_import_track_refuses_a_file_name_with_a_line_break(brief, capsys, tmp_path):
    from tests.tools.test_importers import SAMPLES

    project = brief({})
    odd = tmp_path / "trace\nflights: x.json"
    odd.write_bytes((SAMPLES / "readsb-15188a.json").read_bytes())
    assert cli.main(["-C", str(project.root), "import", "track", str(odd)]) == 1
    assert capsys.readouterr().err == (f"error: {tmp_path}/trace\\nflights: x.json: the file name has a control or "
                                       "invisible character, expected a plain name (rename the file)\n")
    assert not (project.data / "flights").exists()


def test_flights_still_validate_beside_refused_files(brief, capsys):
    project = brief({"data/flights/f1.yml": flight("f1")})
    link(project.data / "flights" / "f2.yml", "/etc/hostname")
    assert cli.main(["-C", str(project.root), "validate"]) == 1
    assert capsys.readouterr().err.splitlines()[0].startswith("data/flights/f2.yml:1:1: symbolic link to /etc/hostname")


@pytest.mark.parametrize("make, message", [
    (os.mkfifo, "not a regular file, expected a tracker export"),
    (os.mkdir, "not a regular file, expected a tracker export"),
    (lambda path: None, "cannot read the file (No such file or directory)"),
])
def test_brief_import_track_refuses_a_pipe_a_folder_or_nothing_without_waiting(brief, capsys, tmp_path, make, message):
    project = brief({})
    export = tmp_path / "export.json"
    make(export)
    assert cli.main(["-C", str(project.root), "import", "track", str(export)]) == 1
    assert capsys.readouterr().err == f"error: {export}: {message}\n"


def test_a_folder_linked_from_inside_the_brief_is_read_once_even_in_a_loop(brief, capsys):
    project = brief({"shared/flights/f1.yml": flight("f1")})
    link(project.data / "flights", "../shared/flights")
    link(project.root / "shared" / "flights" / "again", "..")  # a loop back to shared/
    assert cli.main(["-C", str(project.root), "validate"]) == 0
    assert capsys.readouterr().out == "data/: valid (1 source, 0 bases, 1 flight, 0 assessments, 0 events)\n"
