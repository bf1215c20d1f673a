"""Two first sign-ins of one person at once (two tabs, a double click): one account."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from malmo_ks import roles
from malmo_ks.models import SignInIdentity
from tests.databases import concurrent_writers
from tests.security.test_parallel_creates import while_a_parallel_insert_commits
from tests.signin.provider import sign_in
from tests.signin.test_oidc_sign_in import roles_of, signed_in_user

pytestmark = [pytest.mark.django_db(transaction=True), concurrent_writers]

User = get_user_model()


def test_a_first_sign_in_that_loses_the_race_signs_in_to_the_account_the_other_made(oidc):
    made_first = {}

    def other_tab_creates_the_account():
        user = User.objects.create_user("karin-i-andra-fliken", email="karin@malmo.example")
        SignInIdentity.objects.create(user=user, issuer=settings.OIDC_ISSUER, subject="karin")
        made_first["user"] = user

    client = Client()
    # This sign-in sees no account yet, makes one, and waits on the subject's unique
    # index until the other tab's transaction commits.
    response = while_a_parallel_insert_commits(
        other_tab_creates_the_account, lambda: sign_in(client, "karin")
    )

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user == made_first["user"]
    assert roles_of(user) == {roles.HANDLAGGARE}
    assert SignInIdentity.objects.filter(subject="karin").count() == 1
    assert User.objects.filter(email="karin@malmo.example").count() == 1
