/** @odoo-module **/
import { Component, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { countdown, countdownText, liveState, momentText } from "./sla_display";

const TICK_MS = 60000;
const KINDS = ["response", "resolution"];

export function stateLabels() {
    return {
        running: _t("running"),
        paused: _t("paused"),
        at_risk: _t("at risk"),
        met: _t("met"),
        breached: _t("breached"),
    };
}

/**
 * The next SLA target that matters (the response until it is done, then the
 * resolution) counting down every minute in the browser, coloured by state;
 * with `clocks` "both" or "other", labelled badges of the clocks too
 * ("Response: breached").
 */
export class SlaCountdownField extends Component {
    static template = "helpdesk_sla_contract.SlaCountdownField";
    static props = {
        ...standardFieldProps,
        clocks: { type: String, optional: true },
    };
    static defaultProps = { clocks: "none" };

    setup() {
        this.clock = useState({ now: Date.now() / 1000 });
        // One tick a minute, stopped when the field leaves the screen.
        const timer = setInterval(() => {
            this.clock.now = Date.now() / 1000;
        }, TICK_MS);
        onWillUnmount(() => clearInterval(timer));
    }

    get glance() {
        return this.props.record.data[this.props.name];
    }

    get main() {
        const glance = this.glance;
        if (!glance || !glance[glance.next]) {
            return null;
        }
        const now = this.clock.now;
        const [state, mode, value] = countdown(glance[glance.next], now);
        const moment = mode === "at" ? momentText(value, now) : null;
        return { state, text: countdownText(glance.next, mode, value, moment) };
    }

    get clockBadges() {
        const glance = this.glance;
        if (!glance || this.props.clocks === "none") {
            return [];
        }
        const labels = stateLabels();
        return KINDS.filter(
            (kind) =>
                glance[kind] &&
                glance[kind].state &&
                (this.props.clocks === "both" || kind !== glance.next)
        ).map((kind) => {
            const state = liveState(glance[kind], this.clock.now);
            return {
                kind,
                state,
                text:
                    kind === "response"
                        ? _t("Response: %(state)s", { state: labels[state] })
                        : _t("Resolution: %(state)s", { state: labels[state] }),
            };
        });
    }
}

export const slaCountdownField = {
    component: SlaCountdownField,
    displayName: _t("SLA countdown"),
    supportedTypes: ["json"],
    extractProps: ({ options }) => ({ clocks: options.clocks }),
};

registry.category("fields").add("sla_countdown", slaCountdownField);
