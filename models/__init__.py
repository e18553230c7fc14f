from . import resource_calendar
from . import resource_calendar_attendance
from . import resource_calendar_leaves
from . import helpdesk_sla_policy
from . import helpdesk_sla_target
from . import helpdesk_sla_pause
from . import helpdesk_sla_breach
from . import helpdesk_ticket
