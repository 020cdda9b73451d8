"""Write a valid, densely linked synthetic data set of any size, for benchmarks and scale tests.

``python tests/bench/generate.py OUT_DIR --scale 0.5``. At scale 1 it writes 2,000 companies,
300 bodies, 500 laws, 200 standards, 1,000 use cases, 10,000 events and 3,000 sources, with
Chinese names, relation records and citations, deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

PER_SCALE = {
    "companies": 2000,
    "bodies": 300,
    "laws": 500,
    "standards": 200,
    "use-cases": 1000,
    "events": 10000,
    "sources": 3000,
}
PREFIX = {
    "companies": "company",
    "bodies": "body",
    "laws": "law",
    "standards": "standard",
    "use-cases": "use-case",
    "events": "event",
    "sources": "source",
}
HAN = "人脸识别科技视觉智能数据信息安全网络云从旷视商汤依图海康大华华为腾讯阿里巴百度京东平安中兴电信移动联通北京上海深圳杭州广州南京成都重庆天津武汉"
WORDS = ("vision", "data", "smart", "secure", "cloud", "face", "retail", "city", "metro", "payment", "camera", "signal")
EVENT_TYPES = ("funding", "sanction", "law", "enforcement", "lawsuit", "ruling", "deployment", "controversy", "product")
OBLIGATIONS = ("consent", "separate-consent", "notice", "impact-assessment", "retention", "alternative", "minors")


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


class Generator:
    def __init__(self, scale: float, seed: int) -> None:
        self.random = random.Random(seed)
        self.counts = {kind: max(1, round(count * scale)) for kind, count in PER_SCALE.items()}
        self.ids = {kind: [f"{PREFIX[kind]}-{i:05d}" for i in range(n)] for kind, n in self.counts.items()}

    def pick(self, kind: str, k: int = 1) -> list[str]:
        return self.random.sample(self.ids[kind], min(k, len(self.ids[kind])))

    def han(self, length: int = 4) -> str:
        return "".join(self.random.choice(HAN) for _ in range(length))

    def title(self) -> str:
        return " ".join(self.random.choice(WORDS).capitalize() for _ in range(self.random.randint(2, 3)))

    def date(self, precision: int | None = None) -> str:
        year = self.random.randint(2014, 2025)
        precision = precision or self.random.choice((1, 2, 3, 3, 3))
        if precision == 1:
            return str(year)
        month = self.random.randint(1, 12)
        return f"{year}-{month:02d}" if precision == 2 else f"{year}-{month:02d}-{self.random.randint(1, 28):02d}"

    def summary(self) -> str:
        links = " and ".join(
            f"[[{target}]]" for target in self.pick(self.random.choice(("companies", "laws", "use-cases")), 2)
        )
        cite = "".join(f"[@{s}]" for s in self.pick("sources", 2))
        return (
            f"A synthetic record that works with {links} on facial recognition. It reported figures for "
            f"{self.random.randint(2015, 2025)}.{cite} A second sentence gives the record a realistic length "
            f"and names separate consent and impact assessment.[@{self.pick('sources')[0]}]"
        )

    def common(self, name: str) -> str:
        sources = ", ".join(self.pick("sources", self.random.randint(1, 3)))
        return (
            f"name: {q(name)}\nname_zh: {q(self.han())}\naliases: [{q(name + ' Co., Ltd.')}, {q(self.han(6))}]\n"
            f"summary: {q(self.summary())}\nsources: [{sources}]\nreviewed: 2026-11-23\n"
        )

    def company(self, index: int) -> str:
        lines = [self.common(f"{self.title()} {index}")]
        lines.append(
            f"founded: {self.date()}\nfounded_place: Hangzhou\nheadquarters: Beijing\nfounders: [Zhang San, Li Si]\n"
        )
        if self.random.random() < 0.15:
            lines.append(
                "sanctions:\n  - regime: us-entity-list\n"
                f"    authority: {self.pick('bodies')[0]}\n    listed_on: {self.date(3)}\n    status: active\n"
                f"    citation: {q(f'84 FR {self.random.randint(10000, 99999)}')}\n    last_checked: 2026-11-23\n"
                f"    reason: {q('Listed over surveillance concerns.[@' + self.pick('sources')[0] + ']')}\n"
                f"    sources: [{self.pick('sources')[0]}]\n"
            )
        lines.append("investments:\n")
        for _ in range(2):
            lines.append(
                f"  - investor_name: {q(self.title() + ' Capital')}\n    date: {self.date(2)}\n    amount: US$10 million\n"
                f"    state_linked: {self.random.choice(('true', 'false'))}\n    sources: [{self.pick('sources')[0]}]\n"
            )
        lines.append("deployments:\n")
        for use_case in self.pick("use-cases", 3):
            lines.append(
                f"  - use_case: {use_case}\n    place: Shanghai\n    start: {self.date(1)}\n    sources: [{self.pick('sources')[0]}]\n"
            )
        return "".join(lines)

    def body(self, index: int) -> str:
        return self.common(f"{self.title()} Authority {index}") + "body_type: regulator\njurisdiction: CN\n"

    def law(self, index: int) -> str:
        lines = [self.common(f"{self.title()} Measures {index}")]
        lines.append(
            f"law_type: departmental-rule\njurisdiction: {self.random.choice(('CN', 'CN', 'UK'))}\n"
            f"issued_by: [{self.pick('bodies')[0]}]\nadopted: {self.date()}\neffective: {self.date()}\nstatus: in-force\nprovisions:\n"
        )
        for article in range(1, 4):
            obligations = ", ".join(self.random.sample(OBLIGATIONS, 2))
            lines.append(
                f"  - article: Article {article}\n    requires: {q('Processors must ask first.[@' + self.pick('sources')[0] + ']')}\n"
                f"    obligations: [{obligations}]\n    use_cases: [{', '.join(self.pick('use-cases', 2))}]\n"
                f"    sources: [{self.pick('sources')[0]}]\n"
            )
        return "".join(lines)

    def standard(self, index: int) -> str:
        return self.common(f"{self.title()} Requirements {index}") + (
            f"code: {q(f'GB/T {40000 + index}-2022')}\nissued_by: [{self.pick('bodies')[0]}]\npublished: {self.date()}\nstatus: in-force\n"
        )

    def use_case(self, index: int) -> str:
        return (
            self.common(f"{self.title()} Use {index}") + f"sector: Retail\nlaws: [{', '.join(self.pick('laws', 2))}]\n"
        )

    def event(self, index: int) -> str:
        involves = self.pick("companies", 2) + self.pick(self.random.choice(("laws", "bodies", "use-cases")), 1)
        return self.common(f"{self.title()} event {index}") + (
            f"date: {self.date()}\nevent_type: {self.random.choice(EVENT_TYPES)}\ninvolves: [{', '.join(involves)}]\n"
        )

    def source(self, index: int) -> str:
        return (
            f"name: {q(self.title() + ' report ' + str(index))}\npublisher: Example News\npublished: {self.date()}\n"
            f"url: https://news.example.org/{index}\naccessed: 2026-11-23\nsource_type: news\nreviewed: 2026-11-23\n"
        )

    def write(self, data_dir: Path) -> dict[str, int]:
        makers = {
            "companies": self.company,
            "bodies": self.body,
            "laws": self.law,
            "standards": self.standard,
            "use-cases": self.use_case,
            "events": self.event,
            "sources": self.source,
        }
        for kind, make in makers.items():
            folder = data_dir / kind
            folder.mkdir(parents=True, exist_ok=True)
            for index, record_id in enumerate(self.ids[kind]):
                (folder / f"{record_id}.yaml").write_text(make(index), encoding="utf-8")
        return self.counts


def generate(data_dir: Path, scale: float, seed: int = 1) -> dict[str, int]:
    """Write the data set into ``data_dir`` (created) and return the record counts."""
    return Generator(scale, seed).write(data_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.out, args.scale, args.seed))


if __name__ == "__main__":
    main()
