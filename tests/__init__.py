from . import test_sla_access
from . import test_sla_clock
from . import test_sla_cron
from . import test_sla_policy
from . import test_sla_portal
from . import test_sla_response
from . import test_sla_history
