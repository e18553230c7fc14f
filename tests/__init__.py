from . import test_sla_clock
