#!/usr/bin/env python3
"""Static check: every SQL statement in src/main is a constant run as a prepared statement.

Rules checked over src/main/java:
  1. every call .query(…) / .preparedQuery(…) gets a string literal, a text block or a SQL constant (an
     UPPER_CASE name, possibly Class.NAME), or one of the two reviewed indirections listed in REVIEWED;
  2. every SQL constant is built only from literals, text blocks and other SQL constants (no variable,
     no method call, no String.format / formatted / StringBuilder);
  3. no string literal that looks like SQL is concatenated with anything that is not a constant, anywhere;
  4. the constructor of each reviewed indirection is only ever given a constant.
Prints one line per finding and a summary table; exits 1 on a finding.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "main" / "java"
SQL_WORDS = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS|CREATE\s+TABLE|ALTER\s+TABLE|WHERE|VALUES)\b")
# Reviewed indirections: (file, argument expression) -> why it is safe, and how rule 4 checks it.
REVIEWED = {
    ("GroupCommit.java", "sql"): "a final field set by the constructor; rule 4 checks every `new GroupCommit(` passes a constant",
    ("Migrations.java", "m.sql()"): "the migration scripts bundled in the jar (src/main/resources), never request data",
    ("Migrations.java", "CREATE_VERSION_TABLE"): "constant",
}
CONSTANT = re.compile(r"^(?:[A-Z][A-Za-z0-9_]*\.)?[A-Z][A-Z0-9_]*$")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"(?m)//[^\n\"]*$", "", text)


def call_argument(text, start):
    """The first argument of the call whose '(' is at start (balanced parentheses, strings skipped)."""
    depth, i, arg = 0, start, []
    while i < len(text):
        c = text[i]
        if text.startswith('"""', i):
            end = text.index('"""', i + 3) + 3
            arg.append(text[i:end]); i = end; continue
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            arg.append(text[i:j + 1]); i = j + 1; continue
        if c == "(":
            depth += 1
            if depth == 1:
                i += 1; continue
        elif c == ")":
            depth -= 1
            if depth == 0:
                break
        elif c == "," and depth == 1:
            break
        arg.append(c); i += 1
    return "".join(arg).strip()


def only_constants(expr):
    """True if expr is literals/text blocks and UPPER_CASE names joined by +."""
    # CONSTANT.replace("$3", "$2") (literal arguments) is still a constant, fixed when the class loads
    expr = re.sub(r'\.replace\(\s*"(?:\\.|[^"\\])*"\s*,\s*"(?:\\.|[^"\\])*"\s*\)', "", expr)
    rest = re.sub(r'"""[\s\S]*?"""', "", expr)
    rest = re.sub(r'"(?:\\.|[^"\\])*"', "", rest)
    parts = [p.strip() for p in rest.replace("\n", " ").split("+")]
    return all(p == "" or CONSTANT.match(p) for p in parts)


def main():
    findings, calls, constants, literals = [], 0, 0, 0
    files = sorted(SRC.rglob("*.java"))
    for path in files:
        text = strip_comments(path.read_text())
        name = path.name
        # rule 1: what each query call is given
        for m in re.finditer(r"\.(preparedQuery|query)\s*\(", text):
            calls += 1
            arg = call_argument(text, m.end() - 1)
            line = text.count("\n", 0, m.start()) + 1
            if (name, arg) in REVIEWED:
                continue
            if only_constants(arg):
                continue
            findings.append(f"{path.relative_to(ROOT)}:{line}: .{m.group(1)}({arg[:60]}) is not given a SQL constant")
        # rule 2: SQL constants are made of constants only
        for m in re.finditer(r"static\s+final\s+String\s+([A-Z][A-Z0-9_]*)\s*=\s*(.*?);\s*$", text, re.S | re.M):
            expr = m.group(2)
            if not SQL_WORDS.search(expr) and not re.search(r"\b[A-Z][A-Z0-9_]+\b", re.sub(r'"(?:\\.|[^"\\])*"', "", expr)):
                continue
            constants += 1
            if not only_constants(expr):
                line = text.count("\n", 0, m.start()) + 1
                findings.append(f"{path.relative_to(ROOT)}:{line}: constant {m.group(1)} is built from something that is not a constant")
        # rule 3: a SQL-looking literal concatenated with a non-constant, anywhere
        for m in re.finditer(r'"(?:\\.|[^"\\])*"|"""[\s\S]*?"""', text):
            lit = m.group(0)
            if not SQL_WORDS.search(lit) or not re.search(r"\b(FROM|INTO|SET|WHERE|VALUES)\b", lit):
                continue
            literals += 1
            before = text[max(0, m.start() - 80):m.start()]
            after = text[m.end():m.end() + 80]
            neighbours = []
            b = re.search(r"([\w.()\]]+)\s*\+\s*$", before)
            a = re.match(r"\s*\+\s*([\w.(]+)", after)
            if b:
                neighbours.append(b.group(1))
            if a:
                neighbours.append(a.group(1))
            for n in neighbours:
                if not CONSTANT.match(n):
                    line = text.count("\n", 0, m.start()) + 1
                    findings.append(f"{path.relative_to(ROOT)}:{line}: SQL text concatenated with '{n}'")
            if re.match(r"\s*\.\s*formatted\s*\(", after) or re.search(r"String\.format\(\s*$", before):
                line = text.count("\n", 0, m.start()) + 1
                findings.append(f"{path.relative_to(ROOT)}:{line}: SQL text formatted at run time")
        # rule 4: the reviewed GroupCommit indirection only ever gets constants
        for m in re.finditer(r"new\s+GroupCommit\s*\(", text):
            args = text[m.end():text.index(")", m.end())].split(",")
            if len(args) < 2 or not CONSTANT.match(args[1].strip()):
                line = text.count("\n", 0, m.start()) + 1
                findings.append(f"{path.relative_to(ROOT)}:{line}: GroupCommit given SQL that is not a constant: {args[1:2]}")
    print("| check | count |")
    print("|---|---|")
    print(f"| Java files in src/main | {len(files)} |")
    print(f"| .query / .preparedQuery calls | {calls} |")
    print(f"| SQL constants checked (literals and constants only) | {constants} |")
    print(f"| SQL literals checked for concatenation / formatting | {literals} |")
    print(f"| reviewed indirections | {len(REVIEWED) - 1} (GroupCommit's final field, the bundled migrations) |")
    print(f"| findings | {len(findings)} |")
    for f in findings:
        print("FINDING " + f)
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
