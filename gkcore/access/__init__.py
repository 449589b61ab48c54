"""One server for an office (issue 22): local accounts with roles, signed sign-ins that expire,
a brake on failed sign-ins, private workspaces until publication, deletions as tombstones, and
an audit log of who changed what, when and why. Off unless switched on (see home.mode): the
single-user dashboard of `make run` has no sign-in.

gkcore.access never imports streamlit: signin.py (beside app.py) draws the sign-in form and the
office panel; guard.GuardedLibrary is what the pages get in accounts mode."""

from .accounts import ADMIN, EDITOR, ROLES, VIEWER, Accounts, User
from .errors import AccessError, BadCredentials, NotSignedIn, Refused, SlowDown
from .guard import GuardedLibrary
from .home import ACCOUNTS, SINGLE, home, mode
from .office import SHARED, Office

__all__ = ["ACCOUNTS", "ADMIN", "EDITOR", "ROLES", "SHARED", "SINGLE", "VIEWER", "AccessError", "Accounts",
           "BadCredentials", "GuardedLibrary", "NotSignedIn", "Office", "Refused", "SlowDown", "User", "home", "mode"]
