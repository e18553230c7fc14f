from . import helpdesk_sla_contract_archive
