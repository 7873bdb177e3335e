"""A pinned slice of MITRE ATT&CK Enterprise: the cloud (IaaS) tactics and
techniques an AWS posture rule can plausibly counter, and rule coverage of it.

Written from the public ATT&CK Enterprise matrix, version `ATTACK_VERSION`
(the version `RuleMeta.attack_version` defaults to). Techniques that only
apply to endpoints, SaaS or identity providers are left out; a few endpoint
sub-techniques reachable from a cloud network (SSH, RDP) are kept because
security-group rules counter them. Updating ATT&CK means editing this table
and the default in checks/base.py together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from surveyor.checks.base import ATTACK_VERSION, RuleMeta

ATTACK_DOMAIN = "enterprise"
ATTACK_SCOPE = "cloud (IaaS)"


@dataclass(frozen=True)
class Tactic:
    id: str
    name: str


@dataclass(frozen=True)
class Technique:
    id: str  # "T1562" or a sub-technique "T1562.008"
    name: str
    tactics: tuple[str, ...]  # tactic ids; sub-techniques inherit their parent's

    @property
    def parent(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def is_sub(self) -> bool:
        return "." in self.id


IA, EX, PER, PE, DE, CA, DI, LM, CO, EXF, IM = (
    "TA0001",
    "TA0002",
    "TA0003",
    "TA0004",
    "TA0005",
    "TA0006",
    "TA0007",
    "TA0008",
    "TA0009",
    "TA0010",
    "TA0040",
)

TACTICS: tuple[Tactic, ...] = (
    Tactic(IA, "Initial Access"),
    Tactic(EX, "Execution"),
    Tactic(PER, "Persistence"),
    Tactic(PE, "Privilege Escalation"),
    Tactic(DE, "Defense Evasion"),
    Tactic(CA, "Credential Access"),
    Tactic(DI, "Discovery"),
    Tactic(LM, "Lateral Movement"),
    Tactic(CO, "Collection"),
    Tactic(EXF, "Exfiltration"),
    Tactic(IM, "Impact"),
)

# (id, name, tactics, ((sub id suffix, sub name), ...))
_TABLE: tuple[tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    ("T1190", "Exploit Public-Facing Application", (IA,), ()),
    ("T1133", "External Remote Services", (IA, PER), ()),
    ("T1199", "Trusted Relationship", (IA,), ()),
    (
        "T1078",
        "Valid Accounts",
        (IA, PER, PE, DE),
        (("001", "Default Accounts"), ("004", "Cloud Accounts")),
    ),
    ("T1651", "Cloud Administration Command", (EX,), ()),
    ("T1059", "Command and Scripting Interpreter", (EX,), (("009", "Cloud API"),)),
    ("T1648", "Serverless Execution", (EX,), ()),
    ("T1204", "User Execution", (EX,), (("003", "Malicious Image"),)),
    (
        "T1098",
        "Account Manipulation",
        (PER, PE),
        (
            ("001", "Additional Cloud Credentials"),
            ("003", "Additional Cloud Roles"),
            ("004", "SSH Authorized Keys"),
        ),
    ),
    ("T1136", "Create Account", (PER,), (("003", "Cloud Account"),)),
    ("T1525", "Implant Internal Image", (PER,), ()),
    ("T1546", "Event Triggered Execution", (PER, PE), ()),
    (
        "T1556",
        "Modify Authentication Process",
        (CA, DE, PER),
        (("006", "Multi-Factor Authentication"), ("007", "Hybrid Identity")),
    ),
    (
        "T1484",
        "Domain or Tenant Policy Modification",
        (DE, PE),
        (("002", "Trust Modification"),),
    ),
    (
        "T1548",
        "Abuse Elevation Control Mechanism",
        (PE, DE),
        (("005", "Temporary Elevated Cloud Access"),),
    ),
    (
        "T1562",
        "Impair Defenses",
        (DE,),
        (
            ("001", "Disable or Modify Tools"),
            ("007", "Disable or Modify Cloud Firewall"),
            ("008", "Disable or Modify Cloud Logs"),
        ),
    ),
    (
        "T1578",
        "Modify Cloud Compute Infrastructure",
        (DE,),
        (
            ("001", "Create Snapshot"),
            ("002", "Create Cloud Instance"),
            ("003", "Delete Cloud Instance"),
            ("004", "Revert Cloud Instance"),
            ("005", "Modify Cloud Compute Configurations"),
        ),
    ),
    ("T1535", "Unused/Unsupported Cloud Regions", (DE,), ()),
    ("T1666", "Modify Cloud Resource Hierarchy", (DE,), ()),
    (
        "T1550",
        "Use Alternate Authentication Material",
        (DE, LM),
        (("001", "Application Access Token"),),
    ),
    (
        "T1110",
        "Brute Force",
        (CA,),
        (
            ("001", "Password Guessing"),
            ("003", "Password Spraying"),
            ("004", "Credential Stuffing"),
        ),
    ),
    (
        "T1555",
        "Credentials from Password Stores",
        (CA,),
        (("006", "Cloud Secrets Management Stores"),),
    ),
    ("T1606", "Forge Web Credentials", (CA,), (("002", "SAML Tokens"),)),
    ("T1621", "Multi-Factor Authentication Request Generation", (CA,), ()),
    ("T1528", "Steal Application Access Token", (CA,), ()),
    (
        "T1552",
        "Unsecured Credentials",
        (CA,),
        (("001", "Credentials In Files"), ("005", "Cloud Instance Metadata API")),
    ),
    ("T1040", "Network Sniffing", (CA, DI), ()),
    ("T1087", "Account Discovery", (DI,), (("004", "Cloud Account"),)),
    ("T1580", "Cloud Infrastructure Discovery", (DI,), ()),
    ("T1538", "Cloud Service Dashboard", (DI,), ()),
    ("T1526", "Cloud Service Discovery", (DI,), ()),
    ("T1619", "Cloud Storage Object Discovery", (DI,), ()),
    ("T1069", "Permission Groups Discovery", (DI,), (("003", "Cloud Groups"),)),
    ("T1046", "Network Service Discovery", (DI,), ()),
    ("T1201", "Password Policy Discovery", (DI,), ()),
    ("T1518", "Software Discovery", (DI,), (("001", "Security Software Discovery"),)),
    ("T1654", "Log Enumeration", (DI,), ()),
    (
        "T1021",
        "Remote Services",
        (LM,),
        (
            ("001", "Remote Desktop Protocol"),
            ("004", "SSH"),
            ("007", "Cloud Services"),
            ("008", "Direct Cloud VM Connections"),
        ),
    ),
    ("T1530", "Data from Cloud Storage", (CO,), ()),
    ("T1074", "Data Staged", (CO,), (("002", "Remote Data Staging"),)),
    ("T1119", "Automated Collection", (CO,), ()),
    ("T1537", "Transfer Data to Cloud Account", (EXF,), ()),
    ("T1485", "Data Destruction", (IM,), ()),
    ("T1486", "Data Encrypted for Impact", (IM,), ()),
    ("T1490", "Inhibit System Recovery", (IM,), ()),
    ("T1496", "Resource Hijacking", (IM,), (("004", "Cloud Service Hijacking"),)),
    ("T1498", "Network Denial of Service", (IM,), ()),
    ("T1499", "Endpoint Denial of Service", (IM,), ()),
    ("T1531", "Account Access Removal", (IM,), ()),
    ("T1491", "Defacement", (IM,), (("002", "External Defacement"),)),
)


def _techniques() -> dict[str, Technique]:
    table: dict[str, Technique] = {}
    for technique_id, name, tactics, subs in _TABLE:
        table[technique_id] = Technique(technique_id, name, tactics)
        for suffix, sub_name in subs:
            sub_id = f"{technique_id}.{suffix}"
            table[sub_id] = Technique(sub_id, sub_name, tactics)
    return table


TECHNIQUES: dict[str, Technique] = _techniques()


@dataclass(frozen=True)
class TechniqueCoverage:
    technique: Technique
    rules: tuple[str, ...]  # rules naming this exact id
    subtechniques: tuple[TechniqueCoverage, ...] = ()

    @property
    def covered(self) -> bool:
        return bool(self.rules) or any(s.covered for s in self.subtechniques)

    @property
    def all_rules(self) -> tuple[str, ...]:
        found = set(self.rules)
        for sub in self.subtechniques:
            found.update(sub.rules)
        return tuple(sorted(found))


@dataclass(frozen=True)
class TacticCoverage:
    tactic: Tactic
    techniques: tuple[TechniqueCoverage, ...]

    @property
    def covered(self) -> bool:
        return any(t.covered for t in self.techniques)


@dataclass(frozen=True)
class AttackCoverage:
    tactics: tuple[TacticCoverage, ...]
    unmapped: dict[str, tuple[str, ...]]  # technique id outside the table -> rules
    other_versions: dict[str, str]  # rule id -> a different pinned version
    without_attack: tuple[str, ...]  # rules mapping no technique

    @property
    def techniques(self) -> list[TechniqueCoverage]:
        """Each top-level technique once, though it may sit under many tactics."""
        seen: dict[str, TechniqueCoverage] = {}
        for tactic in self.tactics:
            for technique in tactic.techniques:
                seen.setdefault(technique.technique.id, technique)
        return list(seen.values())


def attack_coverage(rules: Iterable[RuleMeta]) -> AttackCoverage:
    metas = sorted(rules, key=lambda meta: meta.id)
    by_technique: dict[str, set[str]] = {}
    for meta in metas:
        for technique_id in meta.mitre_attack:
            by_technique.setdefault(technique_id, set()).add(meta.id)

    def covering(technique_id: str) -> tuple[str, ...]:
        return tuple(sorted(by_technique.get(technique_id, ())))

    tops = [t for t in TECHNIQUES.values() if not t.is_sub]
    subs = [t for t in TECHNIQUES.values() if t.is_sub]
    coverage = {
        top.id: TechniqueCoverage(
            top,
            covering(top.id),
            tuple(
                TechniqueCoverage(sub, covering(sub.id))
                for sub in subs
                if sub.parent == top.id
            ),
        )
        for top in tops
    }
    tactics = tuple(
        TacticCoverage(
            tactic,
            tuple(coverage[t.id] for t in tops if tactic.id in t.tactics),
        )
        for tactic in TACTICS
    )
    return AttackCoverage(
        tactics=tactics,
        unmapped={
            technique_id: covering(technique_id)
            for technique_id in sorted(by_technique)
            if technique_id not in TECHNIQUES
        },
        other_versions={
            meta.id: meta.attack_version
            for meta in metas
            if meta.mitre_attack and meta.attack_version != ATTACK_VERSION
        },
        without_attack=tuple(meta.id for meta in metas if not meta.mitre_attack),
    )
