"""The load bench's traffic, run by locust in a process of its own (bench/load starts it).

Volunteers sign in with their password, open the report form and send reports, and look at their own
list; officers sign in with their password and their authenticator's code, then read the queue (as it
opens, filtered, and through the API) and open cases from it. The accounts come from the file named by
LOAD_ACCOUNTS. When the run stops, LOAD_RESULTS gets every request's time and outcome by kind, the run's
length, and the links of the reports the Hub accepted, so the bench can check that each was stored and
scored.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from collections import Counter, defaultdict

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())  # noqa: SIM115 (read once, at import)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/triage/cases/(\d+)/"')
PROGRESS = "@@ "  # bench/load shows these lines as they come

# One process of greenlets: no lock needed.
accepted: list[str] = []  # links of the reports the Hub accepted
timings: dict[str, list[float]] = defaultdict(list)  # milliseconds, by kind of request
failures: dict[str, Counter] = defaultdict(Counter)  # why, by kind of request
volunteer_accounts = iter(ACCOUNTS["volunteers"])
officer_accounts = iter(ACCOUNTS["officers"])
report_numbers = itertools.count(1)
run_id = ACCOUNTS["run"]

TEXTS = [
    "They are vermin and should be driven out of this country.",
    "Go back to where you came from, nobody wants your kind here.",
    "Someone should burn their mosque down with them inside it.",
    "People like him are a disease and need to be wiped out.",
    "I know where she lives, let's pay her a visit and teach her a lesson.",
    "That lot are animals, every one of them, lock them all up.",
]


@events.init_command_line_parser.add_listener
def _arguments(parser):
    parser.add_argument("--max-requests", type=int, default=0, help="Stop after this many requests (0: no limit).")


def code_now(account: dict) -> str:
    """The authenticator's six digits now (RFC 6238, as django-otp checks them)."""
    counter = int((time.time() - account["t0"]) // account["step"])
    digest = hmac.new(bytes.fromhex(account["key"]), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10 ** account['digits']:0{account['digits']}d}"


def form_token(answer) -> str:
    """The form's CSRF token; without one the person cannot go on, which counts as a failure of that request."""
    found = CSRF.search(answer.text)
    if not found:
        answer.failure(f"no form in the answer ({answer.status_code})")
        raise StopUser()
    return found.group(1)


class Person(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    accounts = None

    def on_start(self) -> None:
        account = next(self.accounts, None)
        if account is None:
            raise StopUser()  # more simulated people than accounts: bench/load makes one each
        self.account = account
        with self.client.get("/accounts/login/", name=f"{self.kind}: sign-in page", catch_response=True) as page:
            token = form_token(page)
        data = {
            "csrfmiddlewaretoken": token,
            "login_view-current_step": "auth",
            "auth-username": account["username"],
            "auth-password": account["password"],
        }
        with self.client.post(
            "/accounts/login/", data=data, name=f"{self.kind}: sign in, password", catch_response=True
        ) as answer:
            if "key" in account:  # the second step: the code from their authenticator
                data = {
                    "csrfmiddlewaretoken": form_token(answer),
                    "login_view-current_step": "token",
                    "token-otp_token": code_now(account),
                }
                with self.client.post(
                    "/accounts/login/", data=data, name=f"{self.kind}: sign in, code", catch_response=True
                ) as answer:
                    self._signed_in(answer)
            else:
                self._signed_in(answer)

    def _signed_in(self, answer) -> None:
        if "/accounts/" in answer.url:
            answer.failure(f"{self.account['username']} was not signed in")
            raise StopUser()


class Volunteer(Person):
    weight = 3
    kind = "volunteer"
    accounts = volunteer_accounts

    @task(4)
    def send_report(self) -> None:
        with self.client.get("/reports/new/", name="volunteer: report form", catch_response=True) as form:
            key = SUBMISSION_KEY.search(form.text)
            if not key:  # refused: training, a limit; the page says why, but no report can be sent
                form.failure(f"no report form ({form.status_code})")
                return
            token = form_token(form)
        number = next(report_numbers)
        link = f"https://x.com/load{run_id}/status/{number}"
        data = {
            "csrfmiddlewaretoken": token,
            "submission_key": key.group(1),
            "post_url": link,
            "captured_text": f"{random.choice(TEXTS)} #{number}",  # noqa: S311 (traffic, not secrets)
            "author_handle": f"@load{number % 500}",
            "categories": random.sample(ACCOUNTS["categories"], k=random.randint(1, 2)),  # noqa: S311
            "threat_of_violence": "on" if number % 7 == 0 else "",
        }
        with self.client.post(
            "/reports/new/", data=data, name="volunteer: send report", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code == 302 and answer.headers.get("Location", "").endswith("/reports/mine/"):
                accepted.append(link)
                answer.success()
            else:
                answer.failure(f"not accepted: {answer.status_code}")

    @task(1)
    def my_reports(self) -> None:
        self.client.get("/reports/mine/", name="volunteer: my reports")


class Officer(Person):
    weight = 1
    kind = "officer"
    accounts = officer_accounts
    cases: tuple[str, ...] | list[str] = ()

    @task(3)
    def queue(self) -> None:
        page = self.client.get("/triage/", name="officer: queue")
        self.cases = CASE_LINK.findall(page.text) or self.cases

    @task(1)
    def queue_filtered(self) -> None:
        band, flag = random.choice([("very_high", ""), ("high", ""), ("", "threat_of_violence")])  # noqa: S311
        params = {"band": band} if band else {"flag": flag}
        self.client.get("/triage/", params=params, name="officer: queue, filtered")

    @task(1)
    def queue_api(self) -> None:
        self.client.get("/api/v1/cases/", name="officer: queue API")

    @task(3)
    def case(self) -> None:
        if self.cases:
            case = random.choice(self.cases)  # noqa: S311
            self.client.get(f"/triage/cases/{case}/", name="officer: case page")


@events.request.add_listener
def _count(name: str, response_time: float, exception=None, **kwargs) -> None:
    timings[name].append(response_time)
    if exception is not None:
        failures[name][str(exception)[:200]] += 1
    environment = _count.environment
    limit = environment.parsed_options.max_requests
    if limit and environment.stats.total.num_requests >= limit and not _count.stopping:
        _count.stopping = True
        print(f"{PROGRESS}{limit:,} requests sent: stopping", flush=True)
        gevent.spawn(environment.runner.quit)


@events.init.add_listener
def _remember(environment, **kwargs) -> None:
    _count.environment = environment
    _count.stopping = False


@events.test_start.add_listener
def _progress(environment, **kwargs) -> None:
    began = _progress.began = time.monotonic()

    def report() -> None:
        while True:
            gevent.sleep(5)
            total = environment.stats.total
            print(
                f"{PROGRESS}{time.monotonic() - began:4.0f} s: {environment.runner.user_count} people, "
                f"{total.num_requests:,} requests, {total.num_failures:,} failed, {len(accepted):,} reports accepted",
                flush=True,
            )

    gevent.spawn(report)


@events.test_stop.add_listener
def _write_results(environment, **kwargs) -> None:
    results = {
        "seconds": time.monotonic() - _progress.began,
        "timings_ms": timings,
        "failures": {name: dict(reasons) for name, reasons in failures.items()},
        "accepted": accepted,
    }
    with open(os.environ["LOAD_RESULTS"], "w") as handle:
        json.dump(results, handle)
