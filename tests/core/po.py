"""A small reader for gettext .po files (enough for our catalogue checks)."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgstr: str = ""
    fuzzy: bool = False
    plural: bool = False
    msgstr_plural: list[str] = field(default_factory=list)


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current = Entry()
    target = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if target is not None:
                entries.append(current)
            current, target = Entry(), None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            current.fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            current.plural = True
            target = "skip"
        elif line.startswith("msgid "):
            current.msgid = ast.literal_eval(line[6:])
            target = "msgid"
        elif line.startswith("msgstr["):
            current.msgstr_plural.append(ast.literal_eval(line.split(" ", 1)[1]))
            target = "plural"
        elif line.startswith("msgstr "):
            current.msgstr = ast.literal_eval(line[7:])
            target = "msgstr"
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if target == "msgid":
                current.msgid += value
            elif target == "msgstr":
                current.msgstr += value
            elif target == "plural":
                current.msgstr_plural[-1] += value
    return [e for e in entries if e.msgid]
