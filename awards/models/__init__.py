from .rulesets import RuleSet, VotingThreshold

__all__ = ["RuleSet", "VotingThreshold"]
