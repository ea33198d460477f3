"""Lint of the mapping rules: what is wrong with a rule before and after it meets a corpus.

Before (``lint_rules``): an example that does not fire, a role, ``each`` or ``count`` that names
a slot the pattern does not have, a ``principal``, ``addressee`` or ``lead`` slot with no role. Duplicate ids and unknown keys are refused when the mapping
files load (``kg.mappings``), so they never reach a build. After (``lint_corpus``): a rule that
never fired on the corpus, and a slot of a rule that fired but never took a value.
Each finding is a ``Problem`` with the rule's file and line; ``kg build --strict`` fails on any.
"""
from __future__ import annotations

from kg.errors import Problem
from kg.facts import Tally
from kg.rules import Rule, RuleBook, check_examples


def _problem(code: str, rule: Rule, message: str) -> Problem:
    return Problem(code, message, file=f"mappings/{rule.file.parent.name}/{rule.file.name}", line=rule.line,
                   rule=rule.id)


def lint_rules(book: RuleBook, finder) -> list[Problem]:
    found = [_problem("example-does-not-fire", rule, f"example does not fire: {example!r} "
                                                     f"(the sentence as rules see it: {masked!r})")
             for rule, example, masked in check_examples(book, finder)]
    for rule in book.rules:
        slots = set(rule.slot_names)
        named = (set(rule.roles) - {rule.principal, rule.addressee, rule.lead}) | {n for n in (rule.each, rule.count) if n}
        for key, name in (("principal", rule.principal), ("addressee", rule.addressee), ("lead", rule.lead)):
            if name and name not in rule.roles:
                found.append(_problem("unknown-slot", rule, f"rule {rule.id}'s {key} slot {name!r} has no role"))
        for name in sorted(named - slots):
            found.append(_problem("unknown-slot", rule, f"rule {rule.id} names slot {name!r}, which its pattern "
                                                        f"does not have (slots: {', '.join(sorted(slots)) or 'none'})"))
    return found


def lint_corpus(book: RuleBook, tallies: list[Tally]) -> list[Problem]:
    fired: dict[str, int] = {}
    filled: dict[str, set[str]] = {}
    for t in tallies:
        for rule_id, n in t.items():
            fired[rule_id] = fired.get(rule_id, 0) + n
        for rule_id, names in t.slots.items():
            filled.setdefault(rule_id, set()).update(names)
    found = []
    for rule in book.rules:
        if not fired.get(rule.id):
            found.append(_problem("rule-never-fired", rule, f"rule {rule.id} never fired on this corpus"))
            continue
        for name in rule.slot_names:
            if name not in filled.get(rule.id, set()):
                found.append(_problem("slot-never-resolved", rule,
                                      f"slot {name!r} of rule {rule.id} never took a value in "
                                      f"{fired[rule.id]} match(es)"))
    return found
