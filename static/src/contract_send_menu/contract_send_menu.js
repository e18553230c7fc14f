/** @odoo-module **/
// Copyright 2026 helpdesk_sla_contract developers
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {Component, onWillStart} from "@odoo/owl";
import {ConfirmationDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {Dropdown} from "@web/core/dropdown/dropdown";
import {DropdownItem} from "@web/core/dropdown/dropdown_item";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";
import {user} from "@web/core/user";
import {useService} from "@web/core/utils/hooks";

/**
 * One "Send" menu in the contract form's header: the contract, the SLA
 * agreement and the SLA performance report, each by the contract's own
 * button method (saved first, as a header button would).
 */
export class ContractSendMenu extends Component {
    static template = "helpdesk_sla_contract.ContractSendMenu";
    static components = {Dropdown, DropdownItem};
    static props = standardWidgetProps;

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.dialog = useService("dialog");
        this.isSlaManager = false;
        onWillStart(async () => {
            this.isSlaManager = await user.hasGroup(
                "helpdesk_sla_contract.group_sla_manager"
            );
        });
    }

    get isSale() {
        return this.props.record.data.contract_type === "sale";
    }

    async call(method) {
        const record = this.props.record;
        if (!(await record.save())) {
            return;
        }
        const action = await this.orm.call(record.resModel, method, [[record.resId]], {
            context: record.context,
        });
        if (action && typeof action === "object") {
            return this.actionService.doAction(action, {
                onClose: () => record.load(),
            });
        }
        return record.load();
    }

    sendPerformanceReport() {
        this.dialog.add(ConfirmationDialog, {
            body: _t(
                "Send the SLA performance report of the last complete period to the customer contact now?"
            ),
            confirm: () => this.call("action_sla_send_performance_report"),
            cancel: () => {},
        });
    }
}

registry.category("view_widgets").add("sla_contract_send_menu", {
    component: ContractSendMenu,
    fieldDependencies: [{name: "contract_type", type: "selection"}],
});
