import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zora.assessments.engine import encode, result_dict, score_matrix
from zora.assessments.selectors import framework_compiled, framework_get


class Command(BaseCommand):
    help = "Score one answer set: zora score FRAMEWORK ANSWERS.json [--framework-version N] (prints JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("framework", help="Framework code, e.g. edih-dma-sme.")
        parser.add_argument("answers", help="A JSON file of answers ('-' reads standard input).")
        parser.add_argument(
            "--framework-version",
            dest="framework_version",
            type=int,
            default=None,
            help="A version number (default: the latest).",
        )

    def handle(
        self,
        *args: Any,
        framework: str,
        answers: str,
        framework_version: int | None,
        **options: Any,
    ) -> None:
        row = framework_get(code=framework, version=framework_version)
        if row is None:
            raise CommandError(f"Unknown framework {framework!r} (run `zora load_frameworks`).")
        try:
            text = sys.stdin.read() if answers == "-" else Path(answers).read_text(encoding="utf-8")
            data = json.loads(text)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"{answers}: cannot read JSON answers: {exc}") from exc
        compiled = framework_compiled(row)
        vector, problems = encode(compiled, data)
        if problems:
            for problem in problems:
                self.stderr.write(f"{problem.question}: {problem.message}")
            raise CommandError(f"{len(problems)} problem(s) in the answers.")
        result = result_dict(score_matrix(compiled, vector))
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
