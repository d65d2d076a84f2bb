"""Command line of assistant-tui: the full-screen app by default, headless subcommands by name.

Textual is imported only when the app runs, and claude_agent_sdk only after the first paint.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import sys

from tui import __version__
from tui.commands.common import add_common, settings_from, stdout_gone
from tui.config import ConfigError
from tui.storage import StoreError

# Modules by command name, imported only for a subcommand: the app's launch must not pay for
# the engine that `ask` loads.
SUBCOMMANDS = {
    "ask": "tui.commands.ask",
    "history": "tui.commands.history",
    "export": "tui.commands.export",
    "import-autocoder": "tui.commands.import_autocoder",
}


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser of the subcommands (ask, history, export, import-autocoder), and each
    command's own parser by name."""
    parser = argparse.ArgumentParser(
        prog="assistant-tui", description="A read-only Claude assistant for a code project."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in SUBCOMMANDS.values():
        importlib.import_module(module).add_parser(subparsers)
    return parser, subparsers.choices


def parse_command(argv: list[str]) -> argparse.Namespace:
    """Parse ``COMMAND ARGS...``; arguments the command does not take are its parser's error.

    argparse reports them with the top-level usage, which shows none of the command's options;
    the command's own usage and one sentence say what it takes instead.
    """
    parser, commands = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        command = commands.get(argv[0], parser)
        plural = "s" if len(extra) > 1 else ""
        command.error(f"unknown argument{plural} {' '.join(extra)}; see `{command.prog} --help`.")
    return args


def app_parser() -> argparse.ArgumentParser:
    """The parser of the app itself: ``assistant-tui [PROJECT_DIR] [flags]``."""
    parser = argparse.ArgumentParser(
        prog="assistant-tui",
        description="A read-only Claude assistant for a code project, in the terminal. "
        f"Commands: {', '.join(SUBCOMMANDS)} (see `assistant-tui COMMAND --help`).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "project_dir",
        nargs="?",
        metavar="PROJECT_DIR",
        help="the project to work on (default: the current directory)",
    )
    add_common(parser)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the sample project with a scripted local model: no key, offline, no PROJECT_DIR",
    )
    from tui.serve import add_serve_flags

    add_serve_flags(parser)
    return parser


def run_app(argv: list[str]) -> int:
    parser = app_parser()
    args = parser.parse_args(argv)
    if args.project_dir and args.project:
        raise ConfigError("Give the project either as PROJECT_DIR or as --project, not both.")
    given = args.project_dir or args.project
    if args.demo and given:
        # The script reads app/calc.py and explains it: over another project it would answer
        # about files that are not there, so the demo keeps to its own sample.
        raise ConfigError(
            "--demo opens its own sample project (the scripted model's answers are about it), "
            f"so it takes no project; leave out --demo to work on {given}."
        )
    if args.serve:
        from tui.serve import serve

        return serve(parser, args)
    gc.disable()  # until after the first screen: see tui.app.tune_garbage_collector
    args.project = args.project or args.project_dir
    if args.demo:
        from tui.config import data_dir
        from tui.demo import prepare_project

        args.project = str(prepare_project(data_dir()))
        args.model = args.model or "demo"
    settings = settings_from(args)
    from tui.app import AssistantApp

    AssistantApp(settings, demo=args.demo).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the app or a subcommand; failures print one sentence to stderr and exit 1.

    A subcommand whose stdout reader goes away (``| head``) stops quietly with status 141, as
    shell tools do (see tui.commands.common.stdout_gone).
    """
    argv = sys.argv[1:] if argv is None else argv
    try:
        if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help")):
            return run_app(argv)
        args = parse_command(argv)
        code = int(asyncio.run(args.run(args)))
        sys.stdout.flush()  # output still buffered meets a closed pipe here, not at exit
        return code
    except BrokenPipeError:
        return stdout_gone()
    except (StoreError, ConfigError) as error:
        print(f"assistant-tui: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
