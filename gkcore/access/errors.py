"""What the access layer refuses, each message saying what to do (Chinese first, English after).
They are GkErrors, so the pages show `exc.message` as they do for any other refusal."""

from __future__ import annotations

from ..errors import GkError


class AccessError(GkError):
    zh = "无法完成该操作。"
    en = "The action cannot be done."


class Refused(AccessError):
    """The signed-in user's role does not allow the action."""

    zh = "您的角色无权执行此操作；如需权限，请联系管理员。"
    en = "Your role does not allow this; ask an administrator for the role that does."


class NotSignedIn(AccessError):
    zh = "尚未登录或登录已过期：请重新登录。"
    en = "Not signed in, or the sign-in has expired: sign in again."


class BadCredentials(AccessError):
    zh = "用户名或密码错误：请检查后重试（注意大小写与输入法）。"
    en = "Wrong user name or password: check them and try again (mind the case and the input method)."


class SlowDown(AccessError):
    """Too many failed sign-ins for this name: the brake's wait is in the detail."""

    zh = "登录失败次数过多，请稍后再试。"
    en = "Too many failed sign-ins: wait, then try again."


class UnknownUser(AccessError):
    zh = "没有这个用户：用 gkcore users list 查看已有用户。"
    en = "No such user: `gkcore users list` shows the users there are."


class UserExists(AccessError):
    zh = "该用户已存在：改密码用 gkcore users passwd，换角色先 remove 再 add。"
    en = "That user exists already: change the password with `gkcore users passwd`, the role by remove then add."


class BadName(AccessError):
    zh = "用户名只能包含字母、数字、汉字、点、下划线或连字符，长度 1–32。"
    en = "A user name is 1-32 letters, digits, Han characters, dots, underscores or hyphens."


class WeakPassword(AccessError):
    zh = "密码太短：至少 10 个字符。"
    en = "The password is too short: at least 10 characters."


class BadRole(AccessError):
    zh = "角色只能是 viewer、editor 或 admin。"
    en = "The role must be viewer, editor or admin."


class HomeInCheckout(AccessError):
    zh = "账户与密钥目录不能位于代码仓库内：请把 GKDASH_HOME 设为仓库以外的目录（如 /var/lib/gkdash）。"
    en = ("The folder of accounts and keys must not be inside the checkout: set GKDASH_HOME to a folder "
          "outside it (such as /var/lib/gkdash).")


class NoSuchReport(AccessError):
    zh = "找不到该报告（可能已被删除或尚未发布）：请刷新页面后重新选择。"
    en = "No such report (deleted, or not published yet): reload the page and choose again."


class NoSuchTombstone(AccessError):
    zh = "找不到该删除记录（可能已被恢复）：请刷新回收站列表。"
    en = "No such deletion (restored already?): reload the list of deleted reports."
