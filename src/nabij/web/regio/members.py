"""Pages for users and memberships: a beheerder manages every user; a regiocoördinator the
memberships of its own region. Thin: parse, check access, call :mod:`nabij.web.regio.users`
(the functions the CLI uses too), render. A new user's activation link is shown once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nabij.defaults import WEB_ACTIVATION_LINK_DAYS
from nabij.errors import InputError
from nabij.web.regio import audit, users
from nabij.web.regio.access import get_visible_or_404, is_beheerder
from nabij.web.regio.member_forms import (
    ActivationForm,
    ActiveForm,
    ConfirmForm,
    MemberForm,
    MembershipForm,
    NewUserForm,
    RoleForm,
    SearchUsersForm,
)
from nabij.web.regio.models import Membership, Region
from nabij.web.regio.pages import page, region_crumbs


def _sentence(e: Exception) -> str:
    text = str(e)
    return text[:1].upper() + text[1:]


def _posted(request: HttpRequest):
    """The POST data of a POST (also when empty: then the form shows what is missing)."""
    return request.POST if request.method == "POST" else None


def _require_beheerder(request: HttpRequest) -> None:
    if not is_beheerder(request.user):
        raise PermissionDenied("Alleen een beheerder beheert gebruikers.")


def _crumbs(*rest: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Start", reverse("home")), ("Gebruikers", reverse("gebruikers:list")), *rest]


def _link_page(request: HttpRequest, user, crumbs, back: str):
    """The page that shows a one-time activation link (never cached, never stored)."""
    link = request.build_absolute_uri(users.activation_path(user))
    return page(request, "regio/activation_link.html", {
        "target": user, "link": link, "days": WEB_ACTIVATION_LINK_DAYS, "back": back},
        crumbs, nav="gebruikers")


# -- beheerder: every user ----------------------------------------------------------------------
@login_required
def user_list(request: HttpRequest):
    _require_beheerder(request)
    form = SearchUsersForm(request.GET or None)
    qs = get_user_model().objects.order_by("username").prefetch_related(Prefetch(
        "memberships", Membership.objects.select_related("region", "organisation")))
    q = form.cleaned_data["q"] if form.is_valid() else ""
    if q:
        qs = qs.filter(username__icontains=q)
    return page(request, "regio/users.html", {"form": form, "rows": qs[:500], "q": q},
                _crumbs()[:-1] + [("Gebruikers", None)], nav="gebruikers")


@never_cache
@login_required
def user_new(request: HttpRequest):
    _require_beheerder(request)
    form = NewUserForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            membership, _ = users.new_member(request.user, d["username"], d["role"], d["region"],
                                             users.find_organisation(d["organisation"]))
        except InputError as e:
            form.add_error(None, _sentence(e))
        else:
            return _link_page(request, membership.user, _crumbs(("Nieuwe gebruiker", None)),
                              reverse("gebruikers:detail", args=[membership.user_id]))
    return page(request, "form_page.html", {
        "form": form, "title": "Nieuwe gebruiker", "submit": "Gebruiker aanmaken",
        "intro": "De nieuwe gebruiker krijgt geen wachtwoord van u, maar een activeringslink "
                 "waarmee hij zelf een wachtwoord kiest. De link wordt één keer getoond.",
        "cancel": reverse("gebruikers:list")}, _crumbs(("Nieuwe gebruiker", None)),
        nav="gebruikers")


@login_required
def user_detail(request: HttpRequest, pk: int):
    _require_beheerder(request)
    target = get_object_or_404(get_user_model(), pk=pk)
    form = MembershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            users.add_membership(request.user, target, d["role"], d["region"],
                                 users.find_organisation(d["organisation"]))
        except InputError as e:
            form.add_error(None, _sentence(e))
        else:
            messages.success(request, f"Lidmaatschap toegevoegd aan {target.username}.")
            return redirect("gebruikers:detail", pk=target.pk)
    rows = Membership.objects.filter(user=target).select_related("region__division",
                                                                  "organisation")
    return page(request, "regio/user_detail.html", {
        "target": target, "rows": rows, "form": form,
        "role_form": RoleForm(roles=users.ROLE_LABELS), "is_self": target.pk == request.user.pk},
        _crumbs((target.username, None)), nav="gebruikers")


@require_POST
@login_required
def user_active(request: HttpRequest, pk: int):
    _require_beheerder(request)
    target = get_object_or_404(get_user_model(), pk=pk)
    form = ActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies activeren of deactiveren.")
    else:
        active = form.cleaned_data["active"] == "1"
        try:
            users.set_active(request.user, target, active)
        except InputError as e:
            messages.error(request, _sentence(e))
        else:
            messages.success(request, f"{target.username} is "
                                      f"{'geactiveerd' if active else 'gedeactiveerd'}.")
    return redirect("gebruikers:detail", pk=target.pk)


@never_cache
@login_required
def user_reset(request: HttpRequest, pk: int):
    """Revoke the password and show a new activation link (after a confirmation)."""
    _require_beheerder(request)
    target = get_object_or_404(get_user_model(), pk=pk)
    form = ConfirmForm(_posted(request))
    back = reverse("gebruikers:detail", args=[target.pk])
    if request.method == "POST" and form.is_valid():
        users.reset_password(request.user, target)
        return _link_page(request, target, _crumbs((target.username, back),
                                                   ("Nieuwe activeringslink", None)), back)
    return page(request, "form_page.html", {
        "form": form, "title": f"Wachtwoord van {target.username} intrekken",
        "intro": "Het huidige wachtwoord werkt daarna niet meer. U krijgt een nieuwe "
                 "activeringslink om door te geven; die wordt één keer getoond.",
        "submit": "Wachtwoord intrekken", "cancel": back},
        _crumbs((target.username, back), ("Wachtwoord intrekken", None)), nav="gebruikers")


@login_required
def user_history(request: HttpRequest):
    _require_beheerder(request)
    return page(request, "regio/user_history.html", {"entries": audit.user_history(200)},
                _crumbs(("Historie", None)), nav="gebruikers")


# -- a region's members (coordinator of that region, or beheerder) ---------------------------------
@never_cache
@login_required
def region_members(request: HttpRequest, pk: int):
    region = get_visible_or_404(request.user, Region.objects.select_related("division"),
                                "audit", pk=pk)
    roles = users.grantable_roles(request.user, region)
    if not roles:
        raise PermissionDenied("U beheert de leden van deze regio niet.")
    form = MemberForm(_posted(request), region=region, roles=roles)
    if request.method == "POST" and form.is_valid():
        done = _add_member(request, region, form)
        if done is not None:
            return done
    rows = Membership.objects.filter(region=region).select_related("user", "organisation") \
        .order_by("user__username", "role")
    return page(request, "regio/members.html", {
        "region": region, "rows": rows, "form": form, "grantable": roles,
        "role_form": RoleForm(roles=roles)},
        region_crumbs(region, ("Leden en rollen", None)), nav="regio")


def _add_member(request: HttpRequest, region, form):
    d = form.cleaned_data
    crumbs = region_crumbs(region, ("Leden en rollen", reverse("regio:members",
                                                                args=[region.pk])),
                           ("Nieuwe gebruiker", None))
    try:
        if d["kind"] == "nieuw":
            membership, _ = users.new_member(request.user, d["username"], d["role"], region,
                                             d["organisation"])
            return _link_page(request, membership.user, crumbs,
                              reverse("regio:members", args=[region.pk]))
        user = get_user_model().objects.filter(username=d["username"].strip()).first()
        if user is None:
            raise InputError(f"gebruiker {d['username']!r} bestaat niet; kies 'nieuwe gebruiker "
                             "aanmaken' om hem aan te maken")
        users.add_membership(request.user, user, d["role"], region, d["organisation"])
    except InputError as e:
        form.add_error(None, _sentence(e))
        return None
    messages.success(request, f"{user.username} is toegevoegd als "
                              f"{users.ROLE_LABELS[d['role']]}.")
    return redirect("regio:members", pk=region.pk)


def _membership(request: HttpRequest, pk: int) -> Membership:
    """A membership the user may see the region audit of (coordinator, beheerder), else 404."""
    return get_visible_or_404(request.user, Membership.objects.select_related(
        "region", "user"), pk=pk)


@require_POST
@login_required
def membership_role(request: HttpRequest, pk: int):
    m = _membership(request, pk)
    back = _return_to(request, m)
    form = RoleForm(request.POST, roles=users.ROLE_LABELS)
    if not form.is_valid():
        messages.error(request, "Kies een nieuwe rol.")
        return redirect(back)
    try:
        users.change_role(request.user, m, form.cleaned_data["role"])
    except InputError as e:
        messages.error(request, _sentence(e))
    else:
        messages.success(request, f"De rol van {m.user.username} is nu {m.get_role_display()}.")
    return redirect(back)


@login_required
def membership_end(request: HttpRequest, pk: int):
    m = _membership(request, pk)
    back = _return_to(request, m)
    if m.role not in users.grantable_roles(request.user, m.region):
        raise PermissionDenied("U mag dit lidmaatschap niet beëindigen.")
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            users.end_membership(request.user, m)
        except InputError as e:
            messages.error(request, _sentence(e))
        else:
            messages.success(request, f"Het lidmaatschap van {m.user.username} is beëindigd.")
        return redirect(back)
    where = m.region.name if m.region else "alle regio's"
    crumbs = (region_crumbs(m.region, ("Leden en rollen", back), ("Beëindigen", None))
              if m.region else _crumbs((m.user.username, back), ("Beëindigen", None)))
    return page(request, "form_page.html", {
        "form": form, "region": m.region,
        "title": f"Lidmaatschap van {m.user.username} beëindigen",
        "intro": f"{m.user.username} verliest de rol {m.get_role_display()} in {where}. De "
                 "wijziging staat daarna in de historie.",
        "submit": "Lidmaatschap beëindigen", "cancel": back}, crumbs, nav="regio")


def _return_to(request: HttpRequest, m: Membership) -> str:
    """Back to the region's member page, or to the user page when a beheerder came from it."""
    if m.region_id is None or request.GET.get("terug") == "gebruiker":
        return reverse("gebruikers:detail", args=[m.user_id])
    return reverse("regio:members", args=[m.region_id])


# -- activation (public: the link a new user got) ------------------------------------------------
class Activate(auth_views.PasswordResetConfirmView):
    """Set a password with a one-time link (Django's token: invalid once used or expired)."""

    form_class = ActivationForm
    template_name = "regio/activate.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        setattr(form.user, users.CHANGE_REASON, "wachtwoord ingesteld via activeringslink")
        messages.success(self.request, "Uw wachtwoord is ingesteld. U kunt nu inloggen.")
        return super().form_valid(form)
