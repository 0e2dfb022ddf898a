#!/usr/bin/env python3
"""Which folders of a Swift module use which others, and whether any of them form a cycle.

For each module folder under Sources/ (a folder holding .swift files directly or in subfolders), the
names declared at the top level of each file (types, protocols, type aliases, functions, and the
nested types of extensions are not counted) are mapped to the file's folder. A folder uses another
when one of its files mentions a name declared there. Prints the edges; exits 1 when the folders of
a module form a cycle. Comments and string literals are ignored; it reads declarations by pattern, so
it is a check on the layout, not a compiler.

Usage: folder_dependencies.py [SOURCES_DIR]
"""
import os
import re
import sys

DECL = re.compile(r'^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|private|fileprivate|open|final|indirect)\s+)*'
                  r'(?:struct|class|enum|protocol|typealias|actor|func)\s+([A-Za-z_]\w*)', re.M)
WORD = re.compile(r'[A-Za-z_]\w*')


def strip(code):
    """The code without comments and string literals."""
    code = re.sub(r'"""[\s\S]*?"""', '""', code)
    code = re.sub(r'//[^\n]*', '', code)
    code = re.sub(r'/\*[\s\S]*?\*/', '', code)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', code)


def module_folders(root):
    """Module name -> {folder relative to the module -> [file texts]}, for Swift modules under root."""
    modules = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith('.swift'):
                continue
            rel = os.path.relpath(dirpath, root).split(os.sep)
            # Sources/<Module>/... or Sources/Bindings/<Module>/...
            module_parts = rel[:2] if rel[0] == 'Bindings' else rel[:1]
            module = '/'.join(module_parts)
            folder = '/'.join(rel[len(module_parts):]) or '.'
            with open(os.path.join(dirpath, f), encoding='utf-8') as fh:
                modules.setdefault(module, {}).setdefault(folder, []).append(strip(fh.read()))
    return modules


def edges(folders):
    declared = {}
    for folder, texts in folders.items():
        for t in texts:
            for name in DECL.findall(t):
                declared.setdefault(name, set()).add(folder)
    uses = {f: set() for f in folders}
    for folder, texts in folders.items():
        words = set()
        for t in texts:
            words.update(WORD.findall(t))
        for w in words:
            for other in declared.get(w, ()):
                if other != folder and folder not in declared[w]:
                    uses[folder].add(other)
    return uses


def cycle(uses):
    """One cycle as a list of folders, or None."""
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(uses[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(uses):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'Sources')
    failed = False
    for module, folders in sorted(module_folders(root).items()):
        if len(folders) < 2:
            continue
        uses = edges(folders)
        print(module)
        for f in sorted(uses):
            print(f'  {f} -> {", ".join(sorted(uses[f])) or "(none)"}')
        c = cycle(uses)
        if c:
            print(f'  CYCLE: {" -> ".join(c)}')
            failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
