/** @odoo-module **/
import { registry } from "@web/core/registry";
import { PriorityField, priorityField } from "@web/views/fields/priority/priority_field";

/**
 * The ticket form's priority stars. Odoo's priority widget saves at once
 * (autosave) and then skips the onchange: on a ticket not saved yet, the SLA
 * deadlines would keep the previous priority's until the save. A new ticket
 * gets the onchange instead (the SLA preview follows); a saved one still
 * saves at once.
 */
export class SlaPriorityField extends PriorityField {
    async updateRecord(value) {
        const save = this.props.autosave && Boolean(this.props.record.resId);
        await this.props.record.update({ [this.props.name]: value }, { save });
    }
}

registry.category("fields").add("sla_priority", {
    ...priorityField,
    component: SlaPriorityField,
});
