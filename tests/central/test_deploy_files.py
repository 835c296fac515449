"""The production layout's files (deploy/central), checked without a container daemon:
the compose file's services, the nginx upstreams matching them, the Dockerfile's sources,
and the systemd units through ``systemd-analyze verify`` (offline)."""

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.conftest import _unavailable
from tests.support.central import ROOT

DEPLOY = ROOT / "deploy" / "central"


def test_compose_runs_postgres_a_migration_several_api_processes_and_nginx() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    apis = sorted(name for name in services if re.fullmatch(r"api\d+", name))
    assert len(apis) >= 2
    assert {"db", "migrate", "nginx"} <= set(services)
    for name in [*apis, "migrate"]:
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/central/Dockerfile"
        assert service["environment"]["TD_CENTRAL_AUTO_MIGRATE"] == "false"
        assert "@db/" in service["environment"]["TD_CENTRAL_DATABASE_URL"]
    for name in apis:
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}}
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    mounted = services["nginx"]["volumes"][0].split(":")[0]
    upstream = (DEPLOY / mounted).read_text()
    assert re.findall(r"server (api\d+):8000", upstream) == apis
    assert (ROOT / services["migrate"]["build"]["context"].replace("../..", ".")).is_dir()


def test_compose_streams_a_replica_that_the_export_reads() -> None:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    replica = services["db-replica"]
    assert replica["image"] == services["db"]["image"]
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    mounts = {m.split(":")[1]: DEPLOY / m.split(":")[0] for service in (services["db"], replica)
              for m in service["volumes"] if m.startswith("./")}
    standby, allow = mounts["/standby.sh"], mounts[
        "/docker-entrypoint-initdb.d/10-replication.sh"]
    for script in (standby, allow):
        assert subprocess.run(["sh", "-n", str(script)]).returncode == 0, script
    assert "pg_basebackup -h db" in standby.read_text() and " -R " in standby.read_text()
    assert "host replication" in allow.read_text()
    for name in (n for n in services if re.fullmatch(r"api\d+", n)):
        environment = services[name]["environment"]
        assert "@db-replica/" in environment["TD_CENTRAL_EXPORT_DATABASE_URL"]
        assert "@db/" in environment["TD_CENTRAL_DATABASE_URL"]


def test_both_nginx_configs_stream_the_live_board_and_hide_the_metrics() -> None:
    for conf in (DEPLOY / "nginx").glob("*.conf"):
        text = conf.read_text()
        assert text.count("{") == text.count("}"), conf
        sse = re.search(r"location = /tablero/eventos \{(.*?)\}", text, re.S)
        assert sse and "proxy_buffering off;" in sse.group(1), conf
        assert re.search(r"location = /metrics \{\s*return 404;\s*\}", text), conf
        assert "least_conn;" in text and "X-Forwarded-For" in text


def test_the_dockerfile_copies_what_exists_and_runs_the_server() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    sources = [line.split()[1:-1] for line in text.splitlines() if line.startswith("COPY ")]
    assert sources
    for names in sources:
        for name in names:
            assert (ROOT / name).exists(), name
    assert 'ENTRYPOINT ["trato-central"]' in text and "/readyz" in text


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    server = shutil.which("trato-central") or str(Path(ROOT / ".venv" / "bin" / "trato-central"))
    if analyze is None:
        _unavailable("systemd-analyze is not installed")
    units = []
    for unit in (DEPLOY / "systemd").iterdir():
        name = unit.name.replace("@.", "@8001.")  # verify one instance of the template
        text = unit.read_text().replace("/opt/trato-central/venv/bin/trato-central", server)
        (tmp_path / name).write_text(text)
        units.append(str(tmp_path / name))
    result = subprocess.run([analyze, "verify", "--man=no", *units], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    template = (DEPLOY / "systemd" / "trato-central@.service").read_text()
    assert "--port %i" in template and "TD_CENTRAL_AUTO_MIGRATE=false" in template
    assert "Requires=trato-central-migrate.service" in template
