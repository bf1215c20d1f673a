"""docker-compose.yml, the Dockerfile and nginx.conf agree with each other and the settings.

Docker cannot run here, so these read the files; test_production_server runs
what the container runs.
"""

import ast
import re
import shlex
import subprocess
from urllib.parse import urlsplit

import pytest
from django.core.management import get_commands

from . import simple_yaml
from .processes import REPO

COMPOSE = simple_yaml.load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
WEB = SERVICES["web"]
DB = SERVICES["db"]
PROXY = SERVICES["proxy"]
NIGHTLY = SERVICES["nightly"]
SCHEDULER = SERVICES["scheduler"]
NGINX_CONF = (REPO / "docker" / "nginx.conf").read_text()
# Variables the official postgres image reads.
POSTGRES_IMAGE_VARIABLES = {
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_DB",
    "POSTGRES_HOST_AUTH_METHOD",
    "POSTGRES_INITDB_ARGS",
    "PGDATA",
}


def dockerfile():
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuations joined."""
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _space, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def instruction(name):
    return [arguments for keyword, arguments in dockerfile() if keyword == name]


def dockerfile_env():
    pairs = " ".join(instruction("ENV"))
    return dict(re.findall(r"(\w+)=(\S+)", pairs))


def variables_read_by(path):
    """Names of environment variables the Python file at `path` reads.

    Literal names only: the helpers' own `os.environ.get(name)` names nothing.
    """
    read = []
    for node in ast.walk(ast.parse((REPO / path).read_text())):
        if isinstance(node, ast.Call):
            function = ast.unparse(node.func)
            if function in {"envbool", "envint", "envlist", "os.environ.get", "os.getenv"}:
                read.append(node.args[0])
            read.extend(keyword.value for keyword in node.keywords if keyword.arg == "env")
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            read.append(node.slice)
    return {node.value for node in read if isinstance(node, ast.Constant)}


APP_VARIABLES = variables_read_by("malmo_ks/settings.py") | variables_read_by(
    "docker/gunicorn.conf.py"
)


def dockerignore():
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def gunicorn_port():
    (bind,) = [
        node.value
        for node in ast.parse((REPO / "docker/gunicorn.conf.py").read_text()).body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "bind"
    ]
    (port,) = re.findall(r"envint\('PORT', (\d+)\)", ast.unparse(bind))
    return port


def test_the_compose_file_has_the_database_the_app_the_proxy_and_the_scheduled_jobs():
    assert set(SERVICES) == {"db", "web", "proxy", "nightly", "scheduler"}


def test_the_database_is_a_current_postgresql_with_a_health_check_and_a_named_volume():
    image, major = DB["image"].split(":")
    assert image == "postgres" and int(major) >= 16
    assert DB["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}
    assert "pg_isready" in " ".join(DB["healthcheck"]["test"])
    (volume,) = DB["volumes"]
    name, mount = volume.split(":")
    assert name in COMPOSE["volumes"]
    assert mount == "/var/lib/postgresql/data"


def test_the_database_environment_is_the_postgres_images():
    assert set(DB["environment"]) <= POSTGRES_IMAGE_VARIABLES


def test_every_variable_the_app_is_given_is_one_the_settings_read():
    assert set(WEB["environment"]) <= APP_VARIABLES
    assert "DATABASE_URL" in APP_VARIABLES and "SECRET_KEY" in APP_VARIABLES


def test_every_app_variable_the_dockerfile_sets_is_one_the_settings_read():
    python_and_pip = {name for name in dockerfile_env() if name.startswith(("PYTHON", "PIP_"))}
    assert set(dockerfile_env()) - python_and_pip <= APP_VARIABLES
    assert dockerfile_env()["DEBUG"] == "false"


def test_the_app_reaches_the_compose_database_by_its_service_name():
    url = urlsplit(WEB["environment"]["DATABASE_URL"])
    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname == "db" and url.port == 5432
    assert url.username == DB["environment"]["POSTGRES_USER"]
    assert url.path.lstrip("/") == DB["environment"]["POSTGRES_DB"]
    assert WEB["depends_on"]["db"]["condition"] == "service_healthy"


def test_production_mode_and_no_baked_in_secret():
    assert WEB["environment"]["DEBUG"] == "false"
    # Taken from the environment or .env, never written into the file.
    assert WEB["environment"]["SECRET_KEY"].startswith("${SECRET_KEY")
    assert not any(keyword == "ENV" and "SECRET_KEY" in args for keyword, args in dockerfile())


def test_two_web_replicas_run_behind_the_proxy_and_publish_no_port_themselves():
    assert int(WEB["deploy"]["replicas"]) >= 2
    assert "ports" not in WEB and "container_name" not in WEB
    assert WEB["build"] == "."


def test_the_proxy_sends_requests_to_the_port_gunicorn_binds():
    (upstream,) = re.findall(r"^\s*server\s+(\S+?):(\d+)\b", NGINX_CONF, re.MULTILINE)
    service, port = upstream
    assert service == "web"
    assert port == gunicorn_port() == instruction("EXPOSE")[0]
    (published,) = PROXY["ports"]
    (listen,) = re.findall(r"^\s*listen\s+(\d+);", NGINX_CONF, re.MULTILINE)
    assert published.rsplit(":", 1)[1] == listen
    assert PROXY["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_proxy_passes_what_the_app_relies_on():
    # The port in Host for the CSRF check; the scheme for SECURE_PROXY_SSL_HEADER.
    assert re.search(r"proxy_set_header Host \$http_host;", NGINX_CONF)
    assert re.search(r"proxy_set_header X-Forwarded-Proto \$scheme;", NGINX_CONF)
    assert WEB["environment"]["SECURE_PROXY_SSL_HEADER"] == "X-Forwarded-Proto"


def test_the_proxy_mounts_the_config_from_the_repository():
    (mount,) = PROXY["volumes"]
    source, target, mode = mount.split(":")
    assert (REPO / source).resolve() == REPO / "docker" / "nginx.conf"
    assert target == "/etc/nginx/conf.d/default.conf" and mode == "ro"


def test_the_image_is_a_slim_python_that_runs_as_a_user_who_is_not_root():
    (base,) = instruction("FROM")
    assert re.fullmatch(r"python:3\.1[1-9]-slim", base)
    users = instruction("USER")
    assert users and users[-1] not in {"root", "0"}
    keywords = [keyword for keyword, _args in dockerfile()]
    # Nothing after USER runs as root again.
    assert "RUN" not in keywords[keywords.index("USER") :]


def test_the_image_collects_static_files_with_production_settings():
    (collect,) = [args for args in instruction("RUN") if "collectstatic" in args]
    assert "manage.py collectstatic --noinput" in collect
    assert dockerfile_env()["DEBUG"] == "false"  # so the hashed, compressed storage is used


def test_the_container_migrates_on_start_then_runs_gunicorn():
    (entrypoint,) = instruction("ENTRYPOINT")
    assert "docker/entrypoint.sh" in entrypoint
    script = (REPO / "docker/entrypoint.sh").read_text()
    assert "python manage.py migrate_with_lock" in script
    assert 'exec "$@"' in script
    (command,) = instruction("CMD")
    assert '"gunicorn", "--config", "docker/gunicorn.conf.py", "malmo_ks.wsgi"' in command
    assert subprocess.run(["sh", "-n", REPO / "docker/entrypoint.sh"], check=False).returncode == 0


def test_the_image_checks_its_own_health():
    (healthcheck,) = instruction("HEALTHCHECK")
    assert "docker/healthcheck.py" in healthcheck


@pytest.mark.parametrize("needed", ["templates", "static", "locale", "docker", "manage.py"])
def test_the_build_context_keeps_what_the_app_needs(needed):
    assert needed not in dockerignore()
    assert (REPO / needed).exists()


@pytest.mark.parametrize("private", [".env", ".venv", ".git", "db.sqlite3"])
def test_the_build_context_leaves_out_secrets_and_local_state(private):
    assert private in dockerignore()


def test_the_compose_reader_refuses_what_it_does_not_understand():
    with pytest.raises(simple_yaml.UnsupportedYaml):
        simple_yaml.load("services:\n  web: &anchor\n    image: x\n")
    with pytest.raises(simple_yaml.UnsupportedYaml):
        simple_yaml.load("services:\n  web:\n      image: x\n    build: .\n")


# The nightly jobs


def nightly_script():
    """The shell loop the nightly service runs: `sh -c SCRIPT`."""
    shell, flag, script = NIGHTLY["command"]
    assert (shell, flag) == ("sh", "-c")
    return script


def test_the_nightly_service_rebuilds_the_daily_counts_once_a_day_in_a_loop():
    script = nightly_script()
    loop = re.fullmatch(r"while true; do (.*); sleep (\d+); done", script)
    assert loop, script
    body, seconds = loop.groups()
    jobs = [shlex.split(command) for command in body.split("; ")]
    assert ["python", "manage.py", "rebuild_daily_counts"] in jobs
    assert ["python", "manage.py", "clearsessions"] in jobs
    assert int(seconds) == 24 * 60 * 60
    assert subprocess.run(["sh", "-n", "-c", script], check=False).returncode == 0


def test_every_nightly_job_is_a_command_the_app_has():
    body = re.fullmatch(r"while true; do (.*); sleep \d+; done", nightly_script())[1]
    for command in body.split("; "):
        python, manage, name, *_arguments = shlex.split(command)
        assert (python, manage) == ("python", "manage.py")
        assert name in get_commands()


def test_the_nightly_service_runs_the_app_image_against_the_apps_database():
    assert NIGHTLY["image"] == WEB["image"] and NIGHTLY["build"] == WEB["build"]
    assert NIGHTLY["depends_on"]["db"]["condition"] == "service_healthy"
    assert set(NIGHTLY["environment"]) <= APP_VARIABLES
    for name in ("DATABASE_URL", "SECRET_KEY", "DEBUG"):
        assert NIGHTLY["environment"][name] == WEB["environment"][name]


def test_the_nightly_service_is_one_container_that_serves_nothing():
    assert "deploy" not in NIGHTLY and "ports" not in NIGHTLY
    # The image's health check asks gunicorn, which this container does not run.
    assert NIGHTLY["healthcheck"]["disable"] == "true"


# The e-mail scheduler (README, "Notifications")


def test_the_scheduler_sends_notifications_every_few_minutes_in_a_loop():
    shell, flag, script = SCHEDULER["command"]
    assert (shell, flag) == ("sh", "-c")
    loop = re.fullmatch(r"while true; do python manage\.py (\w+); sleep (\d+); done", script)
    assert loop, script
    command, seconds = loop.groups()
    assert command == "send_notifications" and command in get_commands()
    assert 60 <= int(seconds) <= 15 * 60
    assert subprocess.run(["sh", "-n", "-c", script], check=False).returncode == 0


def test_the_scheduler_runs_the_app_image_with_the_mail_settings_the_app_reads():
    assert SCHEDULER["image"] == WEB["image"] and SCHEDULER["build"] == WEB["build"]
    assert SCHEDULER["depends_on"]["db"]["condition"] == "service_healthy"
    assert set(SCHEDULER["environment"]) <= APP_VARIABLES
    assert {"EMAIL_HOST", "DEFAULT_FROM_EMAIL", "SITE_URL"} <= set(SCHEDULER["environment"])
    for name in ("DATABASE_URL", "SECRET_KEY", "DEBUG"):
        assert SCHEDULER["environment"][name] == WEB["environment"][name]
    assert "deploy" not in SCHEDULER and "ports" not in SCHEDULER
    assert SCHEDULER["healthcheck"]["disable"] == "true"
