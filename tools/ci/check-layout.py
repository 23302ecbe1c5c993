#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check-layout.py - the layout rules of issue #13 ("One op, one place")

Usage: tools/ci/check-layout.py [--report] [--root DIR] [--verbose]
                               [--nm BUILD] [--selftest]

Checks runtime/, host/, include/ and tools/ (and the .cl files of
cl_kernels/ for their size) and prints one line per violation, naming the
files; exits 1 when there is any (0 with --report, which prints the same).
See docs/layout-checks.md.

  circle     a dependency circle among units (one strongly connected
             component: its units, then one example symbol per edge)
  layering   an edge (or an #include) against tools -> include/mnet ->
             runtime -> host: host/ using or including runtime/ or tools/,
             runtime/ using tools/, include/ using any of them
  kernels    a file outside KERNEL_READERS that reads cl_kernels/ (names a
             kernel file, the embedded table or $MNET_CL_DIR)
  size       a .c/.h/.cl file over MAX_LINES lines
  folder     a folder of runtime/ or host/ with more than MAX_FILES files
  op-switch  a `switch` with `case MNET_OP_...` labels outside OP_TABLES,
             or more than one in a file of OP_TABLES

A unit is a .c file together with the .h of the same base name in the same
folder; a lone .h or a lone .c is a unit by itself.  A -> B when a file of
A uses (names outside comments and strings) a function, global, type
(struct/union/enum tag, typedef), enum constant or macro that B defines.
Definitions come from Universal Ctags (Debian universal-ctags):

  - from a .c: its non-static functions and variables (what it exports);
  - from a .h: macros (not its include guard), struct/union/enum tags,
    typedefs, enum constants, static inline functions and variables;
  - a function or global defined nowhere in the tree (the generated
    mnet_cl_sources[]) belongs to the unit whose header declares it.

A name defined by several units (an x86 and an ARM kernel of the same name,
one macro in two headers) goes to those of them that the using file can see
through its #include closure.  Names that a file defines itself, and its
own locals, parameters and members, are never uses of another unit.
"""

import argparse
import collections
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys

# ---- configuration ----------------------------------------------------------

# Folders whose C files form the unit graph.
SCAN_DIRS = ["include", "runtime", "host", "tools"]
# Include roots, as the build passes them (-Iinclude -Iruntime -Ihost, tools/
# for the tools' helpers); a quoted include is first looked up beside the file.
INCLUDE_ROOTS = ["include", "runtime", "host", "tools"]
# Layering, tools -> include/mnet -> runtime -> host: (from, to) prefixes of
# edges that point the wrong way.
FORBIDDEN_EDGES = [
        ("host/", "runtime/"),
        ("host/", "tools/"),
        ("runtime/", "tools/"),
        ("include/", "runtime/"),
        ("include/", "host/"),
        ("include/", "tools/"),
]
# Who may read cl_kernels/ (kernel file names, the embedded table).
KERNEL_READERS = ["runtime/opencl/*", "runtime/cl/*", "runtime/tune/*",
                  "tools/*", "tests/*"]
# What reading cl_kernels/ looks like in code (not comments).
KERNEL_STRING = re.compile(r'cl_kernels/|\.cl$')
KERNEL_NAMES = {"mnet_cl_sources", "mnet_cl_source_get", "MNET_CL_DIR"}
# File sizes: .c/.h/.cl files over MAX_LINES lines, in these folders.
SIZE_DIRS = ["include", "runtime", "host", "tools", "cl_kernels"]
MAX_LINES = 800
# Folders of runtime/ and host/ with more than MAX_FILES files.
FOLDER_DIRS = ["runtime", "host"]
MAX_FILES = 15
# The only files where `switch` may have `case MNET_OP_*` labels: the op
# descriptor table and each backend's ops table.  At most one switch each.
# (fnmatch patterns relative to the root; `*` also matches `/`.)
OP_TABLES = [
        "runtime/ops/*",
        "runtime/*/ops/*",
        "runtime/reference/ref_layer.c",
]

C_KEYWORDS = set("""
auto break case char const continue default do double else enum extern float
for goto if inline int long register restrict return short signed sizeof
static struct switch typedef union unsigned void volatile while _Alignas
_Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert
_Thread_local defined include ifdef ifndef endif elif undef pragma error
""".split())

# ---- reading C --------------------------------------------------------------

TOKEN = re.compile(r"""
    (?P<comment>/\*.*?\*/|//[^\n]*)
      | (?P<string>"(?:\\.|[^"\\\n])*")
      | (?P<char>'(?:\\.|[^'\\\n])*')
      | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<number>\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.])*)
      | (?P<arrow>->)
      | (?P<newline>\n)
      | (?P<punct>[^\sA-Za-z0-9_])
      """, re.S | re.X)


class CFile:
    """One source file, lexed: identifiers, strings, includes, op switches."""

    def __init__(self, root, rel):
        self.rel = rel
        with open(os.path.join(root, rel), encoding="utf-8",
                  errors="replace") as f:
            self.text = f.read()
        self.lines = self.text.count("\n") + (
                0 if self.text.endswith("\n") or not self.text else 1)
        self.uses = collections.defaultdict(int)  # (ns, name) -> line
        self.strings = []  # (line, text)
        self.includes = []  # quoted includes
        self.switches = []  # (line, [labels])
        self.forward = set()  # `struct foo;`
        self._lex()

    def _lex(self):
        line = 1
        toks = []  # (kind, text, line)
        for m in TOKEN.finditer(self.text):
            kind = m.lastgroup
            s = m.group()
            if kind == "newline":
                toks.append(("nl", s, line))
                line += 1
                continue
            if kind == "comment":
                line += s.count("\n")
                continue
            toks.append((kind, s, line))
        # preprocessor lines: includes are not uses
        i = 0
        at_bol = True
        out = []
        while i < len(toks):
            kind, s, ln = toks[i]
            if kind == "nl":
                at_bol = True
                out.append(toks[i])
                i += 1
                continue
            if at_bol and s == "#":
                j = i + 1
                if j < len(toks) and toks[j][1] == "include":
                    rest = []
                    j += 1
                    while j < len(toks) and toks[j][0] != "nl":
                        rest.append(toks[j])
                        j += 1
                    if rest and rest[0][0] == "string":
                        self.includes.append(rest[0][1][1:-1])
                    i = j
                    continue
            at_bol = False
            out.append(toks[i])
            i += 1
        toks = [t for t in out if t[0] != "nl"]
        self.forward = {toks[i + 1][1] for i in range(len(toks) - 2)
                        if toks[i][1] in ("struct", "union") and
                        toks[i + 1][0] == "ident" and toks[i + 2][1] == ";" and
                        (i == 0 or toks[i - 1][1] in (";", "{", "}"))}
        prev = None
        tag_kw = None
        stack = []  # for each open brace: switch index or None
        pending_switch = None
        paren = 0
        for idx, (kind, s, ln) in enumerate(toks):
            if kind == "string":
                self.strings.append((ln, s[1:-1]))
            if kind == "ident":
                if s == "switch":
                    pending_switch = ln
                    paren = 0
                elif s == "case" and any(x is not None for x in stack):
                    sw = next(x for x in reversed(stack)
                              if x is not None)
                    nxt = toks[idx + 1][1] if idx + 1 < len(toks) else ""
                    self.switches[sw][1].append(nxt)
                if s not in C_KEYWORDS and prev not in (".", "->"):
                    ns = "tag" if tag_kw else "ord"
                    key = (ns, s)
                    if key not in self.uses:
                        self.uses[key] = ln
                tag_kw = s in ("struct", "union", "enum")
            else:
                tag_kw = None
            if s == "(" and pending_switch is not None:
                paren += 1
            elif s == ")" and pending_switch is not None:
                paren -= 1
            elif s == "{":
                if pending_switch is not None and paren == 0:
                    self.switches.append((pending_switch, []))
                    stack.append(len(self.switches) - 1)
                    pending_switch = None
                else:
                    stack.append(None)
            elif s == "}" and stack:
                stack.pop()
            prev = s

    def op_switches(self):
        """Line numbers of the switches with a `case MNET_OP_*` label."""
        return [ln for ln, labels in self.switches
                if any(lb.startswith("MNET_OP_") for lb in labels)]


# ---- definitions ------------------------------------------------------------

def run_ctags(root, files):
    """Every tag of @files, as dicts, from Universal Ctags' JSON output."""
    ctags = shutil.which("ctags-universal") or shutil.which("ctags")
    if not ctags:
        sys.exit("check-layout: Universal Ctags is needed "
                 "(apt-get install universal-ctags; tools/setup.sh does)")
    cmd = [ctags, "--output-format=json", "--language-force=C",
           "--kinds-C=+pxlzD", "--fields=+Kn", "--fields-C=+{properties}",
           "-o", "-", "-L", "-"]
    p = subprocess.run(cmd, cwd=root, input="\n".join(files) + "\n",
                       capture_output=True, text=True)
    if p.returncode != 0 or "_type" not in p.stdout[:200]:
        sys.exit("check-layout: %s failed (is it Universal Ctags?): %s"
                 % (ctags, p.stderr.strip()[:200]))
    tags = []
    for line in p.stdout.splitlines():
        t = json.loads(line)
        if t.get("_type") == "tag":
            tags.append(t)
    return tags


def include_guard(text):
    m = re.search(r"^\s*#\s*ifndef\s+(\w+)\s*\n\s*#\s*define\s+(\w+)\s*$",
                  text, re.M)
    return m.group(1) if m and m.group(1) == m.group(2) else None


def unit_of(rel):
    """runtime/cpu/backend_cpu.c -> runtime/cpu/backend_cpu"""
    return os.path.splitext(rel)[0]


# ---- graph ------------------------------------------------------------------

def sccs(nodes, edges):
    """Tarjan's strongly connected components (iterative)."""
    index = {}
    low = {}
    on = set()
    st = []
    out = []
    n = 0
    for v0 in sorted(nodes):
        if v0 in index:
            continue
        work = [(v0, iter(sorted(edges.get(v0, ()))))]
        index[v0] = low[v0] = n
        n += 1
        st.append(v0)
        on.add(v0)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = n
                    n += 1
                    st.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = st.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def nm_check(objdir, edges):
    """Link-level edges of the built objects that the source scan missed."""
    defs = {}
    undef = collections.defaultdict(set)
    for dp, dn, fn in os.walk(objdir):
        for f in fn:
            if not f.endswith(".c.o"):
                continue
            path = os.path.join(dp, f)
            rel = os.path.relpath(path, objdir)[:-len(".o")]
            if rel.startswith("generated" + os.sep):
                continue  # no unit of the tree
            u = unit_of(rel)
            p = subprocess.run(["nm", path], capture_output=True,
                               text=True)
            for line in p.stdout.splitlines():
                f3 = line.split()
                if len(f3) == 2 and f3[0] == "U":
                    undef[u].add(f3[1])
                elif len(f3) == 3 and f3[1] in "TDBRVW":
                    defs[f3[2]] = u
    if not defs:
        sys.exit("check-layout: no objects under %s" % objdir)
    out = []
    for a in sorted(undef):
        for sym in sorted(undef[a]):
            b = defs.get(sym)
            if b and b != a and b not in edges.get(a, {}):
                out.append(("nm", "%s -> %s (%s): in the objects, "
                            "not found in the sources" % (a, b, sym)))
    return out


# What --selftest plants in a copy of the tree, and what must then be found.
PLANTS = {
        "runtime/zz_a/zz_a.h":
            "struct zz_a { int x; };\nint zz_a_get(void);\n",
        "runtime/zz_a/zz_a.c": '#include "zz_b/zz_b.h"\n'
        "int zz_a_get(void) { return zz_b_get(); }\n",
        "runtime/zz_b/zz_b.h": "#define ZZ_B 1\nint zz_b_get(void);\n",
        "runtime/zz_b/zz_b.c": '#include "zz_a/zz_a.h"\n'
        "int zz_b_get(void) { struct zz_a a = { ZZ_B }; return a.x; }\n",
        "host/zz_h/zz_h.c": '#include "zz_b/zz_b.h"\n'
        "int zz_h(void) { return ZZ_B; }\n",
        "runtime/zz_k/zz_k.c": 'const char *zz_k = "cl_kernels/zz.cl";\n',
        "runtime/ops/zz_ops.c": "int zz_o(int op) { switch (op) { "
        "case MNET_OP_FC: return 1; default: switch (op) { case 2: "
        "return 3; } return 0; } }\n",
        "runtime/zz_s/zz_s.c": "int zz_s(int op) { switch (op) { "
        "case MNET_OP_FC: return 1; } return 0; }\n",
        "runtime/zz_big/zz_big.c": "int zz_big;\n" * 801,
}
PLANT_FILES = ["runtime/zz_many/f%d.txt" % i for i in range(16)]
EXPECT = [
        r"^circle: 2 units: runtime/zz_a/zz_a\.\{c,h\} "
        r"runtime/zz_b/zz_b\.\{c,h\}; "
        r"edges: runtime/zz_a/zz_a -> runtime/zz_b/zz_b \(zz_b_get\), "
        r"runtime/zz_b/zz_b -> runtime/zz_a/zz_a \(zz_a\)$",
        r"^layering: host/zz_h/zz_h -> runtime/zz_b/zz_b: "
        r"host/zz_h/zz_h\.c:2 uses ZZ_B$",
        r"^layering: host/zz_h/zz_h\.c includes runtime/zz_b/zz_b\.h$",
        r"^kernels: runtime/zz_k/zz_k\.c reads cl_kernels/",
        r"^size: runtime/zz_big/zz_big\.c: 801 lines",
        r"^folder: runtime/zz_many/: 16 files",
        r"^op-switch: runtime/zz_s/zz_s\.c: 1 `case MNET_OP_` switch",
]
UNEXPECTED = [r"^op-switch: runtime/ops/zz_ops\.c"]


def selftest(root):
    """Plant one violation of each rule in a copy of @root; all are found."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix="check-layout-") as tmp:
        for d in SCAN_DIRS + ["cl_kernels"]:
            if os.path.isdir(os.path.join(root, d)):
                shutil.copytree(os.path.join(root, d),
                                os.path.join(tmp, d))
        for rel, text in list(PLANTS.items()) + \
                [(f, "") for f in PLANT_FILES]:
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        p = subprocess.run([sys.executable, os.path.abspath(__file__),
                            "--report", "--root", tmp],
                           capture_output=True, text=True)
    lines = p.stdout.splitlines()
    bad = [e for e in EXPECT
           if not any(re.search(e, ln) for ln in lines)]
    bad += ["(not) " + u for u in UNEXPECTED
            if any(re.search(u, ln) for ln in lines)]
    for b in bad:
        print("selftest: missed %s" % b)
    if p.returncode or bad:
        print(p.stdout + p.stderr)
        return 1
    print("selftest: all %d planted violations found" % len(EXPECT))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--report", action="store_true",
                    help="print everything and exit 0")
    ap.add_argument("--root", default=os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", ".."),
                    help="tree to check (default: this checkout)")
    ap.add_argument("--verbose", action="store_true",
                    help="also print every edge of the unit graph")
    ap.add_argument("--nm", metavar="BUILD",
                    help="cross-check: every function/global a built object "
                    "of BUILD takes from another unit (nm) must be an edge")
    ap.add_argument("--selftest", action="store_true",
                    help="plant a violation of each rule in a scratch copy "
                    "and check that each is found")
    args = ap.parse_args()
    root = os.path.normpath(args.root)
    if args.selftest:
        return selftest(root)

    def walk(dirs, exts):
        res = []
        for d in dirs:
            for dp, dn, fn in os.walk(os.path.join(root, d)):
                dn.sort()
                for f in sorted(fn):
                    if f.endswith(exts):
                        res.append(os.path.relpath(
                                os.path.join(dp, f), root))
        return res

    cfiles = walk(SCAN_DIRS, (".c", ".h"))
    files = {rel: CFile(root, rel) for rel in cfiles}
    tags = run_ctags(root, cfiles)

    # (ns, name) -> set(units), for definitions; declarations as fallback
    defs = collections.defaultdict(set)
    decls = collections.defaultdict(set)
    own = collections.defaultdict(set)  # file -> names it must not count
    guards = {rel: include_guard(f.text) for rel, f in files.items()}
    for t in tags:
        rel = os.path.normpath(t["path"])
        kind = t["kind"]
        name = t["name"]
        props = t.get("properties", "")
        is_h = rel.endswith(".h")
        u = unit_of(rel)
        ns = "tag" if kind in ("struct", "union", "enum") else "ord"
        if kind in ("local", "parameter", "member", "macroparam"):
            own[rel].add(("ord", name))
            continue
        if kind in ("prototype", "externvar"):
            decls[(ns, name)].add(u)
            # a header declaring it provides it; a .c uses it
            if is_h or "static" in props.split(","):
                own[rel].add((ns, name))
            continue
        own[rel].add((ns, name))
        if not is_h:
            if kind in ("function", "variable") and \
               "static" not in props.split(","):
                defs[(ns, name)].add(u)
            continue
        if kind == "macro" and name == guards.get(rel):
            continue
        if kind in ("macro", "enumerator", "enum", "struct", "union",
                    "typedef", "function", "variable"):
            defs[(ns, name)].add(u)
    for key, us in decls.items():
        if key not in defs:
            defs[key] = us

    # #include closure of each file, for names several units define
    def resolve(rel, inc):
        cands = [os.path.join(os.path.dirname(rel), inc)] + \
            [os.path.join(r, inc) for r in INCLUDE_ROOTS]
        for c in cands:
            c = os.path.normpath(c)
            if c in files:
                return c
        return None

    direct = {rel: [x for x in (resolve(rel, i) for i in f.includes) if x]
              for rel, f in files.items()}
    closure = {}

    def incl(rel):
        if rel in closure:
            return closure[rel]
        seen = set()
        todo = [rel]
        while todo:
            x = todo.pop()
            for y in direct.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        closure[rel] = seen
        return seen

    units = collections.defaultdict(list)
    for rel in cfiles:
        units[unit_of(rel)].append(rel)

    edges = collections.defaultdict(dict)  # A -> B -> (symbol, file, line)
    for rel, f in files.items():
        # `struct foo;` declares an incomplete type: no use of its definition
        own[rel] |= {("tag", t) for t in f.forward}
    for rel, f in files.items():
        a = unit_of(rel)
        visible = {unit_of(x) for x in incl(rel)}
        for key, ln in f.uses.items():
            if key in own[rel]:
                continue
            us = defs.get(key)
            if not us or a in us:
                continue
            if len(us) > 1:
                seen = us & visible
                us = seen or us
            for b in sorted(us):
                if b not in edges[a]:
                    edges[a][b] = (key[1], rel, ln)

    def files_of(u):
        """runtime/cpu/backend_cpu -> runtime/cpu/backend_cpu.{c,h}"""
        exts = sorted(os.path.splitext(x)[1][1:] for x in units[u])
        return u + (".%s" % exts[0] if len(exts) == 1 else
                    ".{%s}" % ",".join(exts))

    problems = []  # (kind, text)
    comps = [c for c in sccs(units.keys(), edges) if len(c) > 1]
    for comp in sorted(comps, key=lambda c: (-len(c), c)):
        cs = set(comp)
        ex = []
        for a in comp:
            for b in sorted(edges[a]):
                if b in cs:
                    ex.append("%s -> %s (%s)" % (a, b, edges[a][b][0]))
        problems.append(("circle", "%d units: %s; edges: %s" % (
                len(comp), " ".join(files_of(u) for u in comp),
                ", ".join(ex))))

    for a in sorted(edges):
        for b in sorted(edges[a]):
            for fa, fb in FORBIDDEN_EDGES:
                if a.startswith(fa) and b.startswith(fb):
                    sym, rel, ln = edges[a][b]
                    problems.append(("layering",
                                     "%s -> %s: %s:%d uses %s" % (
                                             a, b, rel, ln, sym)))

    # an #include against the layering is one too, used or not
    for rel in sorted(direct):
        for inc in direct[rel]:
            for fa, fb in FORBIDDEN_EDGES:
                if rel.startswith(fa) and inc.startswith(fb):
                    problems.append(("layering",
                                     "%s includes %s" % (rel, inc)))

    def allowed(rel, pats):
        return any(fnmatch.fnmatch(rel, p) for p in pats)

    for rel, f in sorted(files.items()):
        if allowed(rel, KERNEL_READERS):
            continue
        why = [s for ln, s in f.strings if KERNEL_STRING.search(s)]
        why += [k[1] for k in f.uses if k[1] in KERNEL_NAMES and
                k not in own[rel]]
        if why:
            problems.append(("kernels", "%s reads cl_kernels/ (%s)" % (
                    rel, ", ".join(sorted(set(why))[:3]))))

    for rel in walk(SIZE_DIRS, (".c", ".h", ".cl")):
        f = files.get(rel)
        n = f.lines if f else CFile(root, rel).lines
        if n > MAX_LINES:
            problems.append(("size", "%s: %d lines (at most %d)" % (
                    rel, n, MAX_LINES)))

    for d in FOLDER_DIRS:
        for dp, dn, fn in os.walk(os.path.join(root, d)):
            dn.sort()
            if len(fn) > MAX_FILES:
                problems.append(("folder", "%s/: %d files (at most %d)" % (
                        os.path.relpath(dp, root), len(fn), MAX_FILES)))

    switch_list = []
    for rel, f in sorted(files.items()):
        lines = f.op_switches()
        if not lines:
            continue
        where = ",".join(str(x) for x in lines)
        switch_list.append("%s: %d at line %s" % (rel, len(lines), where))
        if not allowed(rel, OP_TABLES):
            problems.append(("op-switch",
                             "%s: %d `case MNET_OP_` switch(es), line %s "
                             "(only op tables may switch on the op)" % (
                                     rel, len(lines), where)))
        elif len(lines) > 1:
            problems.append(("op-switch",
                             "%s: %d `case MNET_OP_` switches, line %s "
                             "(an op table has at most one)" % (
                                     rel, len(lines), where)))

    if args.nm:
        problems += nm_check(os.path.join(args.nm, "CMakeFiles",
                                          "mnet_obj.dir"), edges)
    if args.verbose:
        for a in sorted(edges):
            for b in sorted(edges[a]):
                sym, rel, ln = edges[a][b]
                print("edge: %s -> %s (%s, %s:%d)" % (a, b, sym, rel, ln))
    for kind, text in problems:
        print("%s: %s" % (kind, text))
    counts = collections.Counter(k for k, _ in problems)
    n_edges = sum(len(v) for v in edges.values())
    print("== layout: %d units, %d edges; op switches: %s" % (
            len(units), n_edges, "; ".join(switch_list) or "none"))
    summary = ", ".join("%d %s" % (counts[k], k) for k in (
            "circle", "layering", "kernels", "size", "folder", "op-switch",
            "nm")
                        if counts[k])
    if problems:
        print("== layout: %d violation(s): %s%s" % (
                len(problems), summary,
                " (--report: not failing)" if args.report else ""))
        return 0 if args.report else 1
    print("== layout: no violations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
