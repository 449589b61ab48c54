"""`gkcore users add NAME --role viewer|editor|admin`, `remove NAME`, `list`, `passwd NAME`, and
`gkcore users audit` (the audit log as CSV: who uploaded, corrected, published, deleted what).

The password is asked for twice at a terminal (never echoed), or read as the first line of
standard input when that is not a terminal, so scripts can create accounts:
`printf '%s\\n' "$PW" | gkcore users add alice --role editor`. It is never a command-line
argument (those are visible to every user of the machine in the process list)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from .accounts import ROLES, Accounts
from .audit import USERS, Audit
from .errors import AccessError
from .home import home


def _password(confirm: bool) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码 / Password: ")
    if confirm and getpass.getpass("再输一次 / Again: ") != first:
        raise AccessError(zh="两次输入的密码不一致：请重新运行命令。",
                          en="The two passwords differ: run the command again.")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    try:
        root = home()
        accounts, audit = Accounts(root), Audit(root)
        if args.action == "list":
            for a in accounts.list():
                print(f"{a.name}\t{a.role}\t{a.created}")
        elif args.action == "add":
            user = accounts.add(args.name, args.role, _password(True))
            audit.record("cli", USERS, detail=f"add {user.name} role={user.role}")
            print(f"added {user.name} ({user.role}) in {accounts.path}", file=sys.stderr)
        elif args.action == "remove":
            accounts.remove(args.name)
            audit.record("cli", USERS, detail=f"remove {args.name}")
            print(f"removed {args.name}", file=sys.stderr)
        elif args.action == "passwd":
            accounts.passwd(args.name, _password(True))
            audit.record("cli", USERS, detail=f"passwd {args.name}")
            print(f"password of {args.name} changed", file=sys.stderr)
        else:                                   # audit
            sys.stdout.write(audit.frame().to_csv(index=False, lineterminator="\n"))
    except AccessError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    return 0


def add_parser(sub: Any) -> None:
    """The `users` command and its actions, on gkcore's subparsers."""
    u = sub.add_parser("users", help="accounts of a multi-user dashboard (GKDASH_ACCESS=accounts; docs/deploy.md)")
    acts = u.add_subparsers(dest="action", required=True)
    a = acts.add_parser("add", help="add a user; the password is prompted for, or read from standard input")
    a.add_argument("name")
    a.add_argument("--role", choices=ROLES, required=True)
    r = acts.add_parser("remove", help="remove a user (their uploads and the audit log stay)")
    r.add_argument("name")
    acts.add_parser("list", help="the users, their roles, when they were added")
    p = acts.add_parser("passwd", help="set a user's password (prompted, or from standard input)")
    p.add_argument("name")
    acts.add_parser("audit", help="print the audit log as CSV (who, when, what, why)")
    u.set_defaults(func=cmd_users)
