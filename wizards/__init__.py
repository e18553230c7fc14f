from . import helpdesk_sla_contract_archive
from . import helpdesk_sla_credit_compute
