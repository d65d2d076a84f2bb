"""What holds a credential: file names (matched without regard to case) and token shapes.

Names catch the files people keep keys in; content catches a key pasted into a file of any
other name. ``redact`` is applied to every tool result before the model sees it, because a
recursive Grep runs inside the CLI where no per-file check can stop it.
"""

from __future__ import annotations

import fnmatch
import re

# Matched against the file's name, lower-cased.
SECRET_PATTERNS = (
    ".env*",
    "*.env",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.keystore",
    "*.jks",
    "*.ppk",
    "*.keytab",
    "*.tfvars",
    "*.tfvars.json",
    "*.tfstate",
    "*.tfstate.backup",
    "*-sa.json",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".netrc",
    "_netrc",
    ".pgpass",
    ".git-credentials",
    ".npmrc",
    ".pypirc",
    ".yarnrc.yml",
    ".vault-token",
    ".terraformrc",
    "terraform.rc",
    ".htpasswd",
    ".s3cfg",
    ".boto",
    "credentials.json",
    "config.worktree",  # git's per-worktree config: remote URLs may carry a password
)
# Matched against the path's last components, lower-cased ("a/.git/config" ends with ".git/config").
SECRET_TAILS = (
    ".git/config",
    ".git/credentials",
    ".config/gh/hosts.yml",
    ".docker/config.json",
    ".kube/config",
)
# Any file below a folder of one of these names.
# ".git/modules": each submodule's own git folder, its config holding remote URLs as .git/config.
SECRET_DIRS = (
    ".ssh",
    ".aws",
    ".gnupg",
    ".kube",
    ".docker",
    ".azure",
    ".config/gcloud",
    ".git/modules",
)

# How much of a file is scanned before Read may hand it out. More than the 64 KB a quick look
# would take: for a long result the CLI sends the raw text to the API's count_tokens endpoint
# before any PostToolUse hook can redact it, and its Read refuses whole files over 256 KB.
CONTENT_LIMIT = 1024 * 1024

# kind -> pattern; the kinds name what was found in a denial.
TOKEN_SHAPES: dict[str, re.Pattern[str]] = {
    "a private key": re.compile(
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
        r"(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?",
        re.DOTALL,
    ),
    "an Anthropic API key": re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}"),
    # No leading \b: a pattern that starts with its literal is found by a fast scan (a \b first
    # made each 20x slower), and a match inside a longer word is redacted all the same.
    "a GitHub token": re.compile(r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"),
    "an AWS access key": re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])"),
    "a Slack token": re.compile(r"xox[abpr]-[A-Za-z0-9\-]{10,}"),
    "a GitLab token": re.compile(r"glpat-[A-Za-z0-9_\-]{20,}"),
    "a cloud service-account key": re.compile(r"\"type\"\s*:\s*\"service_account\""),
}
REDACTED = "[redacted]"


# One expression per kind of rule, so the walk at session start checks a name in about a
# microsecond (35 fnmatch calls took 40 us: four seconds on 100,000 files).
_NAMES = re.compile("|".join(fnmatch.translate(pattern) for pattern in SECRET_PATTERNS))
_TAILS = re.compile("(?:^|/)(?:" + "|".join(re.escape(tail) for tail in SECRET_TAILS) + ")$")
_DIRS = re.compile("(?:^|/)(?:" + "|".join(re.escape(d) for d in SECRET_DIRS) + ")/")


def secret_name(relative: str) -> bool:
    """Whether a project-relative path names a file that usually holds secrets."""
    lowered = relative.replace("\\", "/").lower().strip("/")
    if not lowered:
        return False
    folders, _, name = lowered.rpartition("/")
    return bool(
        _NAMES.match(name) or _TAILS.search(lowered) or (folders and _DIRS.search(folders + "/"))
    )


def secret_kind(text: str) -> str | None:
    """The kind of the first credential found in a text, or None."""
    for kind, shape in TOKEN_SHAPES.items():
        if shape.search(text):
            return kind
    return None


def redact(text: str) -> tuple[str, int]:
    """The text with every token shape replaced by [redacted], and how many were replaced."""
    total = 0
    for shape in TOKEN_SHAPES.values():
        text, count = shape.subn(REDACTED, text)
        total += count
    return text, total


def cli_rules() -> list[str]:
    """Read deny rules in the CLI's syntax for the names above.

    The CLI turns Read denials into exclusions for Grep and Glob, so a recursive search leaves
    these files out. Its matching is case-sensitive, so the case variants actually present in a
    project are added per session by ``links.session_rules``.
    """
    rules = [f"Read(**/{pattern})" for pattern in SECRET_PATTERNS]
    rules += [f"Read(**/{tail})" for tail in SECRET_TAILS]
    return rules + [f"Read(**/{folder}/**)" for folder in SECRET_DIRS]


_PAYLOAD_KEYS = frozenset({"base64", "data"})  # image and PDF bytes: a match there is chance


def redact_shape(value: object, key: str | None = None) -> tuple[object, int]:
    """A JSON-like value with token shapes replaced in every string, keeping its shape exactly
    (the CLI ignores a rewritten built-in tool result whose shape differs); and the count."""
    if isinstance(value, str):
        return (value, 0) if key in _PAYLOAD_KEYS else redact(value)
    if isinstance(value, list):
        pairs = [redact_shape(item, key) for item in value]
        return [item for item, _ in pairs], sum(count for _, count in pairs)
    if isinstance(value, dict):
        done = {name: redact_shape(item, str(name)) for name, item in value.items()}
        return {name: item for name, (item, _) in done.items()}, sum(c for _, c in done.values())
    return value, 0


def withheld_shape(value: object, key: str | None = None) -> object:
    """The same shape with every string replaced: what is shown if redaction itself fails."""
    if isinstance(value, str):
        return value if key in ("type", "mode") else "[result withheld]"
    if isinstance(value, list):
        return [withheld_shape(item, key) for item in value]
    if isinstance(value, dict):
        return {name: withheld_shape(item, str(name)) for name, item in value.items()}
    return value
