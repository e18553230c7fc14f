# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #14 point 5: two workers receiving the same burst of deliveries (real
committed transactions, one per delivery, as Odoo's HTTP workers run them)
end with exactly the downtime a sequential replay gives."""

import json
import random
import threading
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, Command, api
from odoo.service.model import retrying
from odoo.tests.common import TransactionCase

from ..lib.alert_payloads import outages

SERVICES = 3
T0 = datetime(2026, 10, 5, 8, 0)


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


def burst(seed=14):
    """Per service, a few outages as generic down/up events (some outages
    overlapping: two streams would be one; here one stream with repeated
    downs), then repeats, all shuffled: ups arrive before their downs."""
    rnd = random.Random(seed)
    deliveries = []
    for index in range(SERVICES):
        minute = rnd.randint(0, 30)
        for outage in range(3):
            start = minute + rnd.randint(5, 60)
            end = start + rnd.randint(1, 90)
            for status, at in (("down", start), ("down", start + 1), ("up", end)):
                deliveries.append(
                    {
                        "service": f"svc-{index}",
                        "status": status,
                        "at": (T0 + timedelta(minutes=at)).isoformat() + "Z",
                        "id": f"s{index}-o{outage}-{status}-{at}",
                        "cause": f"outage {outage}",
                    }
                )
            minute = end
    deliveries += rnd.sample(deliveries, len(deliveries) // 4)
    rnd.shuffle(deliveries)
    return deliveries


class TestAlertBurst(TransactionCase):
    def setUp(self):
        super().setUp()
        self.fixtures = []
        with self.registry.cursor() as cr:
            env = _env(cr)
            partner = env["res.partner"].create(
                {"name": "Burst Ltd", "is_company": True}
            )
            self.partner_id = partner.id
            for name in ("concurrent", "sequential"):
                contract = env["contract.contract"].create(
                    {
                        "name": f"Burst {name}",
                        "partner_id": partner.id,
                        "contract_type": "sale",
                        "pricing_model": "fixed_fee",
                        "line_recurrence": False,
                        "recurring_rule_type": "monthly",
                        "recurring_invoicing_type": "post-paid",
                        "date_start": datetime(2026, 10, 1).date(),
                    }
                )
                services = env["helpdesk.sla.service"].create(
                    [
                        {
                            "name": f"Service {i}",
                            "code": f"svc-{i}",
                            "contract_id": contract.id,
                        }
                        for i in range(SERVICES)
                    ]
                )
                source = env["helpdesk.sla.alert.source"].create(
                    {
                        "name": f"Burst {name}",
                        "kind": "generic",
                        "service_ids": [Command.set(services.ids)],
                    }
                )
                token = source.action_sla_new_token()["params"]["token"]
                self.fixtures.append((contract.id, services.ids, source.id, token))
        self.addCleanup(self._drop_fixtures)

    def _drop_fixtures(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            for contract_id, service_ids, source_id, _token in self.fixtures:
                env["helpdesk.sla.incident"].search(
                    [("service_id", "in", service_ids)]
                ).unlink()
                env["helpdesk.sla.alert.source"].browse(source_id).unlink()
                env["helpdesk.sla.service"].browse(service_ids).unlink()
                env["contract.contract"].browse(contract_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def deliver(self, token, body):
        """One delivery in its own transaction, replayed on serialization
        failures as Odoo's HTTP layer does."""
        with self.registry.cursor() as cr:
            env = _env(cr)
            status, answer = retrying(
                lambda: env["helpdesk.sla.alert.source"]._sla_receive(
                    "generic", token, json.dumps(body).encode()
                ),
                env,
            )
            # Committed, as a worker's request: the point of this test.
            cr.commit()  # pylint: disable=invalid-commit
        return status, answer

    def downtime(self, service_ids):
        with self.registry.cursor() as cr:
            incidents = _env(cr)["helpdesk.sla.incident"].search(
                [("service_id", "in", service_ids)], order="date_start, id"
            )
            return sorted(
                (i.service_id.code, i.date_start, i.date_end or None) for i in incidents
            )

    def test_two_workers_end_as_a_sequential_replay(self):
        deliveries = burst()
        _contract, concurrent_ids, _source, concurrent_token = self.fixtures[0]
        _contract, sequential_ids, _source, sequential_token = self.fixtures[1]
        statuses, errors = [], []

        def worker(order):
            try:
                for body in order:
                    statuses.append(self.deliver(concurrent_token, body)[0])
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        # Both workers receive the whole burst (each delivery twice), in
        # different orders.
        second = list(deliveries)
        random.Random(2).shuffle(second)
        threads = [
            threading.Thread(target=worker, args=(deliveries,)),
            threading.Thread(target=worker, args=(second,)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertFalse(errors)
        self.assertEqual(set(statuses), {200})
        for body in deliveries:
            self.assertEqual(self.deliver(sequential_token, body)[0], 200)
        concurrent = self.downtime(concurrent_ids)
        self.assertEqual(concurrent, self.downtime(sequential_ids))
        # And both are the outages of the events, merged: no duplicate, no
        # lost resolve.
        expected = []
        for index in range(SERVICES):
            events = {
                (
                    "generic",
                    body["status"],
                    datetime.fromisoformat(body["at"][:-1]),
                )
                for body in deliveries
                if body["service"] == f"svc-{index}"
            }
            expected += [(f"svc-{index}", start, end) for start, end in outages(events)]
        self.assertEqual(concurrent, sorted(expected))
        self.assertTrue(all(end for _code, _start, end in concurrent))

    def test_a_worker_with_an_older_snapshot_is_replayed(self):
        """The worst interleaving: the second worker's transaction began
        before the first committed a down on the same service. Without the
        service lock it would not see that outage and record a second one."""
        _contract, service_ids, _source, token = self.fixtures[0]
        first = {"service": "svc-0", "status": "down", "id": "a"}
        second = {"service": "svc-0", "status": "down", "id": "b"}
        first["at"], second["at"] = "2026-10-05T10:00:00Z", "2026-10-05T10:05:00Z"
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            # The second worker's snapshot is taken before the first commits.
            env_b["helpdesk.sla.incident"].search_count([])
            env_a["helpdesk.sla.alert.source"]._sla_receive(
                "generic", token, json.dumps(first).encode()
            )
            cr_a.commit()  # pylint: disable=invalid-commit
            status, _answer = retrying(
                lambda: env_b["helpdesk.sla.alert.source"]._sla_receive(
                    "generic", token, json.dumps(second).encode()
                ),
                env_b,
            )
            cr_b.commit()  # pylint: disable=invalid-commit
        self.assertEqual(status, 200)
        self.assertEqual(
            self.downtime(service_ids), [("svc-0", datetime(2026, 10, 5, 10, 0), None)]
        )
