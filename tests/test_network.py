"""kg.network: where a worker finds the allowed SERVICE endpoints, and its namespace for real."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.network import Listener, Service, plan, services

ROOT = Path(__file__).resolve().parent.parent


def test_services_are_the_distinct_hosts_and_ports_of_the_urls():
    assert services(["http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/other", "https://Query.Wikidata.org/x",
                     "http://[::1]:3030/ds", "HTTP://example.org/sparql"]) == (
        Service("127.0.0.1", 8890), Service("query.wikidata.org", 443), Service("::1", 3030),
        Service("example.org", 80))
    assert str(Service("::1", 3030)) == "[::1]:3030" and str(Service("example.org", 80)) == "example.org:80"


@pytest.mark.parametrize("url, says", [("ftp://example.org/sparql", "not an http or https URL"),
                                       ("example.org/sparql", "not an http or https URL"),
                                       ("http:///sparql", "not an http or https URL"),
                                       ("http://example.org:99999/sparql", "the port is not a number")])
def test_a_url_that_is_not_an_http_endpoint_is_named(url, says):
    with pytest.raises(ValueError, match=f"--allow-service {url}: {says}"):
        services([url])


def test_the_plan_gives_host_names_loopback_addresses_and_keeps_ip_literals():
    p = plan(services(["http://127.77.0.1:80/x", "http://example.org/a", "https://example.org/b",
                       "http://192.0.2.7:8080/x", "http://[2001:db8::7]:8443/x", "http://localhost:7878/x"]))
    assert p.listeners == (Listener(Service("127.77.0.1", 80), "127.77.0.1"),
                           Listener(Service("example.org", 80), "127.77.0.2"),   # .1 is taken by a literal
                           Listener(Service("example.org", 443), "127.77.0.2"),
                           Listener(Service("192.0.2.7", 8080), "192.0.2.7"),
                           Listener(Service("2001:db8::7", 8443), "2001:db8::7"),
                           Listener(Service("localhost", 7878), "127.77.0.3"))
    assert p.hosts == "127.77.0.2 example.org\n127.77.0.3 localhost\n"
    assert p.addresses == ("192.0.2.7", "2001:db8::7")      # the loopback has the others already


NAMESPACE = """
import json, socket, sys, time
from kg.network import leave_the_network, plan, services

allowed = plan(services(sys.argv[1:]))
listening = leave_the_network(allowed)
def reach(address, port, tries=10):
    # an unreachable address is asked again for a second: an IPv6 address just added to the loopback
    # was once unreachable for a moment in a fresh-clone run (the kernel installing its route)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    for attempt in range(tries):
        with socket.socket(family) as s:
            s.settimeout(2)
            try:
                s.connect((address, port))
                return "connected"
            except OSError as exc:
                if type(exc) is not OSError or attempt == tries - 1:
                    return type(exc).__name__
        time.sleep(0.1)
print(json.dumps({
    "listening": [s.getsockname()[:2] for s in listening],
    "hosts": open("/etc/hosts").read(),
    "example.org": sorted({a[4][0] for a in socket.getaddrinfo("example.org", 443, type=socket.SOCK_STREAM)}),
    "reach": {f"{a}:{p}": reach(a, p) for a, p in [("192.0.2.7", 8080), ("2001:db8::7", 8443), ("127.77.0.1", 443),
                                                    ("192.0.2.7", 8081), ("192.0.2.8", 8080), ("127.0.0.1", 8080),
                                                    ("8.8.8.8", 53)]},
}))
"""


def test_a_worker_namespace_listens_on_each_allowed_address_and_reaches_nothing_else():
    """For real, in a process of its own: the loopback gets the allowed IP literals (rtnetlink, no
    `ip` binary), a host name resolves to its loopback address through the namespace's own hosts
    file, the listeners accept, and any other address or port is refused or unreachable. The
    machine's /etc/hosts is untouched (the bind mount stays in the worker's mount namespace) and no
    temporary hosts file is left behind."""
    hosts_before = Path("/etc/hosts").read_bytes()
    tmp_before = {p.name for p in Path("/tmp").glob("kg-hosts-*")}
    r = subprocess.run([sys.executable, "-c", NAMESPACE, "http://192.0.2.7:8080/sparql", "https://example.org/sparql",
                        "http://[2001:db8::7]:8443/ds"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    seen = json.loads(r.stdout)
    assert seen["listening"] == [["192.0.2.7", 8080], ["127.77.0.1", 443], ["2001:db8::7", 8443]]
    assert seen["hosts"] == "127.77.0.1 example.org\n"
    assert seen["example.org"] == ["127.77.0.1"]
    assert seen["reach"] == {"192.0.2.7:8080": "connected", "2001:db8::7:8443": "connected",
                             "127.77.0.1:443": "connected", "192.0.2.7:8081": "ConnectionRefusedError",
                             "192.0.2.8:8080": "OSError", "127.0.0.1:8080": "ConnectionRefusedError",
                             "8.8.8.8:53": "OSError"}
    assert Path("/etc/hosts").read_bytes() == hosts_before
    assert {p.name for p in Path("/tmp").glob("kg-hosts-*")} == tmp_before
