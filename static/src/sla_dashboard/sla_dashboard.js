/** @odoo-module **/
// Copyright 2026 helpdesk_sla_contract developers
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {Component, onWillStart, useState} from "@odoo/owl";
import {formatFloat} from "@web/core/utils/numbers";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {humanDuration} from "@helpdesk_sla_contract/sla_glance/sla_display";

/**
 * SLA dashboard: tiles fed by helpdesk.sla.dashboard.get_dashboard_data();
 * each tile opens the list it counts.
 */
export class SlaDashboard extends Component {
    static template = "helpdesk_sla_contract.SlaDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({data: null});
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call(
            "helpdesk.sla.dashboard",
            "get_dashboard_data",
            []
        );
    }

    open(action) {
        return this.actionService.doAction(action);
    }

    tileValue(tile) {
        if (tile.value === null || tile.value === false) {
            return "—";
        }
        if (tile.unit === "%") {
            return `${formatFloat(tile.value, {digits: [16, 1]})} %`;
        }
        return String(tile.value);
    }

    /** Minutes down as people say them ("41 min", "1 h 30 min"). */
    downtime(minutes) {
        return humanDuration((minutes || 0) / 60, null, false);
    }

    percent(value, digits = 3) {
        return `${formatFloat(value, {digits: [16, digits]})} %`;
    }
}

registry.category("actions").add("helpdesk_sla_dashboard", SlaDashboard);
