"""Every command and option of the CLI is documented in the README (as datasette checks its settings)."""

from __future__ import annotations

from pathlib import Path

import click

from rashomon.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_readme() -> None:
    missing = []
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        if f"rashomon {name}" not in README:
            missing.append(f"command {name}")
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in README:
                    missing.append(f"{name} {opt}")
    assert not missing, f"undocumented in README.md: {missing}"
