"""Mending the cache: a damaged entry is parsed again from its source into a scratch folder and
swapped in; when its source is missing or damaged too, the entry is removed and the loss
reported; when the source is intact but no longer parses (a limit hit, a parser change), the
entry is set aside as `.damaged-<sha256>` (never listed, never served), so no original is lost."""

from __future__ import annotations

import logging
import os
import shutil
from typing import TYPE_CHECKING

from ..errors import GkError
from .integrity import ASIDE, SOURCE, TMP, TRASH, Damage, Verification, digest, source_name, temp_name

if TYPE_CHECKING:
    from .cache import Cache

log = logging.getLogger("gkcore.store.cache")


def mend(cache: Cache, sha: str, problem: str) -> Damage | None:
    """Rebuild a damaged entry from its source: parsed again into a scratch folder, then
    swapped in. None when rebuilt; else the loss is returned, and the entry removed, or set
    aside as `.damaged-<sha256>` (never listed) when its source is intact but fails to parse."""
    log.warning("cache entry %s is damaged (%s); rebuilding it from its source", sha, problem)
    data, why = _source(cache, sha)
    if data is not None:
        scratch = type(cache)(cache.dir / temp_name(TMP))
        try:
            scratch.load_or_parse(data, source_name(cache.path(sha)))
            if bad := scratch._full(sha, source=True)[0]:
                raise RuntimeError(f"the rebuilt entry does not verify: {bad}")
            cache._install(scratch.path(sha), sha, full=True)
            log.warning("cache entry %s rebuilt from its source", sha)
            return None
        except GkError as exc:
            why = f"the source no longer parses: {exc.message}"
        except Exception as exc:  # noqa: BLE001 — reported as the loss of this entry
            why = f"rebuilding failed: {type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(scratch.root, ignore_errors=True)
    if cache.path(sha).is_dir() and not cache._full(sha, source=True)[0]:
        return None                         # a concurrent writer put a good entry meanwhile
    if data is not None:                    # the source is intact: never delete it
        trash = cache.dir / f"{ASIDE}{sha}"
        shutil.rmtree(trash, ignore_errors=True)
        why += f"; set aside in {trash.name}"
    else:
        trash = cache.dir / temp_name(TRASH)
    try:
        os.rename(cache.path(sha), trash)
    except FileNotFoundError:
        pass
    except OSError as exc:
        why += f"; it could not be moved either ({exc.strerror})"
    if data is None:
        shutil.rmtree(trash, ignore_errors=True)
    log.error("cache entry %s removed (%s; %s): ingest the original file again", sha, problem, why)
    return Damage(sha, f"{problem}; {why}")


def _source(cache: Cache, sha: str) -> tuple[bytes | None, str]:
    p = cache.path(sha) / SOURCE
    try:
        data = p.read_bytes()
    except OSError:
        return None, f"{SOURCE} missing"
    if digest(data) != sha:
        return None, f"{SOURCE} damaged too"
    return data, ""


def verify(cache: Cache, repair: bool = False) -> Verification:
    """Check every entry by its hashes (the source's too). With repair, rebuild the damaged
    ones from their source, remove those that cannot be, and delete stale temporary folders."""
    cleaned = tuple(cache.cleanup()) if repair else ()
    shas = cache._names()
    damaged = [Damage(s, p) for s in shas if (p := cache._full(s, source=True)[0])]
    rebuilt: list[str] = []
    removed: list[Damage] = []
    for d in damaged if repair else []:
        loss = mend(cache, d.sha256, d.problem)
        if loss is None:
            rebuilt.append(d.sha256)
        else:
            removed.append(loss)
    return Verification(len(shas), tuple(damaged), tuple(rebuilt), tuple(removed), cleaned, repair)
