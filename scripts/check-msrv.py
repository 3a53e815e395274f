#!/usr/bin/env python3
"""Is every crate's `rust-version` true of its dependencies? Part of `make test`.

No older toolchain can be installed here, so the claim is checked from what the dependencies
declare: `cargo metadata` gives the resolved graph (Cargo.lock) and each package's own
`rust-version`. For each workspace crate:

- build: its normal and build dependencies, transitively, with every feature on and for every
  platform (the most anyone can build). Its `rust-version` must be at least the highest
  `rust-version` among them, or this fails naming the dependency and the path to it.
- tests: the same plus its dev-dependencies (tests, benches, examples). These need not build on
  the crate's `rust-version`; they must build on `[workspace.metadata.msrv] tests` in the root
  Cargo.toml, which says which Rust the test suites need.

What this cannot see, the crate's own code, clippy's `incompatible_msrv` lint checks (on by
default, reads `rust-version`, denied by `make test`'s clippy gate): no standard library item newer
than `rust-version` is used. Language features are checked by neither (see TESTING.md).

Usage: python3 scripts/check-msrv.py [--verbose]
"""
import json
import subprocess
import sys
from pathlib import Path


def version(v):
    parts = [int(p) for p in v.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def show(v):
    return ".".join(str(p) for p in v[:2]) + (f".{v[2]}" if v[2] else "")


def main():
    verbose = "--verbose" in sys.argv
    root = Path(__file__).resolve().parent.parent
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--all-features"],
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    tests_msrv = ((meta.get("metadata") or {}).get("msrv") or {}).get("tests")

    def edges(pkg_id, dev):
        for d in nodes[pkg_id]["deps"]:
            kinds = {k["kind"] for k in d["dep_kinds"]}
            if kinds & {None, "build"} or (dev and "dev" in kinds):
                yield d["pkg"]

    def closure(member, dev):
        """Every package `member` needs, with the path to it (dev-dependencies: first hop only)."""
        paths = {}
        todo = [(p, [member, p]) for p in edges(member, dev)]
        while todo:
            pkg, path = todo.pop()
            if pkg in paths:
                continue
            paths[pkg] = path
            todo.extend((p, path + [p]) for p in edges(pkg, False) if p not in paths)
        return paths

    def floor(paths):
        """The dependency with the highest rust-version, and those that declare none."""
        best, unknown = None, []
        for pkg, path in paths.items():
            rv = packages[pkg].get("rust_version")
            if rv is None:
                unknown.append(pkg)
            elif best is None or version(rv) > best[0]:
                best = (version(rv), pkg, path)
        return best, unknown

    def name(pkg):
        return f'{packages[pkg]["name"]} {packages[pkg]["version"]}'

    def chain(path):
        return " -> ".join(packages[p]["name"] for p in path)

    errors = []
    rows = []
    for member in sorted(meta["workspace_members"], key=lambda m: packages[m]["name"]):
        pkg = packages[member]
        declared = pkg.get("rust_version")
        if declared is None:
            errors.append(f'{pkg["name"]} declares no rust-version')
            continue
        declared = version(declared)
        build, unknown = floor(closure(member, dev=False))
        tests, _ = floor(closure(member, dev=True))
        if build and build[0] > declared:
            errors.append(
                f'{pkg["name"]} declares rust-version {show(declared)}, but {name(build[1])} '
                f"needs {show(build[0])} ({chain(build[2])})"
            )
        if tests and tests_msrv and tests[0] > version(tests_msrv):
            errors.append(
                f'{pkg["name"]}\'s tests need {show(tests[0])} for {name(tests[1])} '
                f"({chain(tests[2])}), above [workspace.metadata.msrv] tests = {tests_msrv}"
            )
        rows.append(
            (
                pkg["name"],
                show(declared),
                f"{show(build[0])} ({name(build[1])})" if build else "-",
                f"{show(tests[0])} ({name(tests[1])})" if tests else "-",
            )
        )
        if verbose and unknown:
            print(f'  {pkg["name"]}: no rust-version declared by ' + ", ".join(sorted(map(name, unknown))))

    header = ("crate", "rust-version", "dependencies need", "with dev-dependencies (tests)")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
    for r in [header] + rows:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if errors:
        for e in errors:
            print(f"check-msrv: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
    print(
        "check-msrv: every crate's rust-version covers its dependencies"
        + (f"; the tests' dependencies build on {tests_msrv}" if tests_msrv else "")
    )


if __name__ == "__main__":
    main()
