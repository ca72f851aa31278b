"""eligibility: which integration journeys apply to a French digital-health product.

The public API::

    from eligibility import Evaluator, parse_profile
    decision = Evaluator().evaluate(parse_profile({"id": "x", "processes_health_data": True}))
"""

from eligibility.decision.evaluator import Evaluator, evaluate
from eligibility.decision.model import Decision
from eligibility.errors import EligibilityError
from eligibility.profile.model import Profile, parse_profile
from eligibility.rules.loader import RuleSet, load_ruleset

__version__ = "0.1.0"

__all__ = [
    "Decision",
    "EligibilityError",
    "Evaluator",
    "Profile",
    "RuleSet",
    "__version__",
    "evaluate",
    "load_ruleset",
    "parse_profile",
]
