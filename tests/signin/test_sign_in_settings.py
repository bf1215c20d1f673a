"""The sign-in's settings: password login off by default with a provider, mistakes stop the start."""

from tests.operations.processes import manage, production_env

PROVIDER = {
    "OIDC_ISSUER": "https://login.example/tenant/v2.0",
    "OIDC_CLIENT_ID": "register",
    "OIDC_CLIENT_SECRET": "secret",
    "OIDC_ROLE_GROUPS": "Handläggare=grp-a,Administratör=grp-b",
}
SHOW = "from django.conf import settings; print(settings.LOCAL_LOGIN)"


def local_login(**env):
    result = manage("shell", "-v", "0", "-c", SHOW, env=production_env(**env))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_password_login_is_on_without_a_provider_and_off_with_one_unless_asked_for():
    assert local_login() == "True"
    assert local_login(**PROVIDER) == "False"
    assert local_login(**PROVIDER, LOCAL_LOGIN="true") == "True"


def test_production_with_a_provider_passes_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(**PROVIDER))
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_provider_without_its_client_or_groups_stops_the_start():
    result = manage("check", env=production_env(**{**PROVIDER, "OIDC_CLIENT_SECRET": ""}))
    assert result.returncode != 0
    assert "OIDC_ISSUER needs OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ROLE_GROUPS." in (
        result.stderr
    )


def test_a_role_that_does_not_exist_stops_the_check_with_its_name():
    result = manage("check", env=production_env(**{**PROVIDER, "OIDC_ROLE_GROUPS": "Chef=grp-c"}))
    assert result.returncode != 0
    assert "'Chef=grp-c' does not name one of the roles" in result.stderr
