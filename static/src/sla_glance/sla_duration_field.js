/** @odoo-module **/
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useInputField } from "@web/views/fields/input_field_hook";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { humanDuration, parseDuration } from "./sla_display";

/**
 * Hours as people say them ("15 min", "2 h 30 min", "3 business days"),
 * never like a clock time; typing "2 h 30 min", "1:30" or "2.5" works.
 * Option `day_hours`: a field with the business hours of a day, to show
 * whole business days. Negative values (time left once late) read "… late".
 */
export class SlaDurationField extends Component {
    static template = "helpdesk_sla_contract.SlaDurationField";
    static props = {
        ...standardFieldProps,
        placeholder: { type: String, optional: true },
        dayHoursField: { type: String, optional: true },
    };

    setup() {
        useInputField({
            getValue: () => this.formattedValue,
            refName: "numpadDecimal",
            parse: (value) => this.parse(value),
        });
    }

    get dayHours() {
        return this.props.dayHoursField
            ? this.props.record.data[this.props.dayHoursField]
            : null;
    }

    parse(value) {
        const hours = parseDuration(value, this.dayHours);
        if (hours === null) {
            throw new Error(`Not a duration: ${value}`);
        }
        return hours;
    }

    get formattedValue() {
        const value = this.props.record.data[this.props.name] || 0;
        const text = humanDuration(value, this.dayHours);
        return value < 0 ? _t("%(duration)s late", { duration: text }) : text;
    }
}

export const slaDurationField = {
    component: SlaDurationField,
    displayName: _t("Duration"),
    supportedTypes: ["float"],
    isEmpty: () => false,
    extractProps: ({ attrs, options }) => ({
        placeholder: attrs.placeholder,
        dayHoursField: options.day_hours,
    }),
};

registry.category("fields").add("sla_duration", slaDurationField);

// List totals and group sums read like the cells.
registry.category("formatters").add("sla_duration", (value) => humanDuration(value));
