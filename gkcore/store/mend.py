"""Mending the cache: a damaged entry is parsed again from its source into a scratch folder and
swapped in; when its source is missing or damaged too, the entry is removed and the loss
reported; when the source is intact but no longer parses (a limit hit, a parser change), the
entry is set aside as `.damaged-<sha256>` (never listed, never served), so no original is lost."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import GkError
from ..model import ParsedReport
from . import entries
from .integrity import ASIDE, TMP, TRASH, Damage, Verification, source_name, temp_name

log = logging.getLogger("gkcore.store.cache")
Reparse = Callable[[bytes, str], ParsedReport]


def reparse(data: bytes, name: str) -> ParsedReport:
    """A source parsed again, in a child process within the default limits (as an ingest does)."""
    from ..parse.isolate import parse_isolated

    return parse_isolated(data, name)


def mend(folder: Path, sha: str, problem: str, parse: Reparse = reparse) -> Damage | None:
    """Rebuild a damaged entry of the cache folder `folder` from its source: parsed again into a
    scratch folder, then swapped in. None when rebuilt; else the loss is returned, and the entry
    removed, or set aside as `.damaged-<sha256>` (never listed) when its source is intact but
    fails to parse."""
    log.warning("cache entry %s is damaged (%s); rebuilding it from its source", sha, problem)
    data, why = entries.read_source(folder, sha)
    if data is not None:
        scratch = folder / temp_name(TMP)
        try:
            entries.write(scratch, parse(data, source_name(folder / sha)), data)
            if bad := entries.full(scratch, sha, source=True)[0]:
                raise RuntimeError(f"the rebuilt entry does not verify: {bad}")
            entries.install(folder, scratch / sha, sha, by_hashes=True)
            log.warning("cache entry %s rebuilt from its source", sha)
            return None
        except GkError as exc:
            why = f"the source no longer parses: {exc.message}"
        except Exception as exc:  # noqa: BLE001 — reported as the loss of this entry
            why = f"rebuilding failed: {type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    if (folder / sha).is_dir() and not entries.full(folder, sha, source=True)[0]:
        return None                         # a concurrent writer put a good entry meanwhile
    if data is not None:                    # the source is intact: never delete it
        trash = folder / f"{ASIDE}{sha}"
        shutil.rmtree(trash, ignore_errors=True)
        why += f"; set aside in {trash.name}"
    else:
        trash = folder / temp_name(TRASH)
    try:
        os.rename(folder / sha, trash)
    except FileNotFoundError:
        pass
    except OSError as exc:
        why += f"; it could not be moved either ({exc.strerror})"
    if data is None:
        shutil.rmtree(trash, ignore_errors=True)
    log.error("cache entry %s removed (%s; %s): ingest the original file again", sha, problem, why)
    return Damage(sha, f"{problem}; {why}")


def verify(folder: Path, repair: bool = False, parse: Reparse = reparse) -> Verification:
    """Check every entry by its hashes (the source's too). With repair, rebuild the damaged
    ones from their source, remove those that cannot be, and delete stale temporary folders."""
    cleaned = tuple(entries.cleanup(folder)) if repair else ()
    shas = entries.names(folder)
    damaged = [Damage(s, p) for s in shas if (p := entries.full(folder, s, source=True)[0])]
    rebuilt: list[str] = []
    removed: list[Damage] = []
    for d in damaged if repair else []:
        loss = mend(folder, d.sha256, d.problem, parse)
        if loss is None:
            rebuilt.append(d.sha256)
        else:
            removed.append(loss)
    return Verification(len(shas), tuple(damaged), tuple(rebuilt), tuple(removed), cleaned, repair)
