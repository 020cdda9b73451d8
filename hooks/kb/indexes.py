"""Static indexes the browser reads: company facts for comparison, name keys for screening."""

from __future__ import annotations

import json

from .graph import Graph
from .model import SANCTION_REGIMES
from .names import CHINESE_SUFFIXES, LATIN_SUFFIXES, keys_for
from .records import Record


def _page(record: Record) -> str:
    """A record's page, relative to the site root."""
    return f"{record.kind}/{record.id}/"


def listing_status(graph: Graph, company: Record) -> dict:
    """Active and past listings, or the explicit none-found line with its date."""
    model = company.model
    listings = [
        {
            "regime": SANCTION_REGIMES[s.regime],
            "status": s.status,
            "listed_on": s.listed_on,
            "in_force_from": s.in_force_from,
            "removed_on": s.removed_on,
            "authority": graph.name(s.authority),
            "citation": s.citation,
            "last_checked": s.last_checked,
        }
        for s in model.sanctions
    ]
    active = [item for item in listings if item["status"] == "active"]
    if active:
        summary = "Listed: " + "; ".join(f"{item['regime']} (since {item['listed_on']})" for item in active)
    elif listings:
        summary = "No active listing; past listings recorded"
    else:
        summary = f"No listing found as of {model.reviewed}"
    return {"summary": summary, "active": bool(active), "listings": listings}


def _event(event: Record) -> dict:
    return {"date": event.model.date, "name": event.model.name, "page": _page(event)}


def compare_index(graph: Graph) -> list[dict]:
    """The facts the comparison page sets side by side, one entry per company."""
    entries = []
    for company in graph.by_kind["companies"]:
        model = company.model
        entries.append(
            {
                "id": company.id,
                "name": model.name,
                "name_zh": model.name_zh,
                "page": _page(company),
                "founded": model.founded,
                "headquarters": model.headquarters,
                "status": model.status,
                "stock_listings": [f"{s.exchange} {s.ticker} ({s.listed_on})" for s in model.stock_listings],
                "sanctions": listing_status(graph, company),
                "investors": [
                    {
                        "name": graph.name(i.investor) if i.investor else i.investor_name,
                        "state_linked": i.state_linked,
                        "date": i.date,
                        "amount": i.amount,
                    }
                    for i in model.investments
                ],
                "controversies": [
                    {"date": e.model.date, "name": e.model.name, "page": _page(e)}
                    for e in graph.controversies_of(company.id)
                ],
                "use_cases": [
                    {"name": graph.name(use_case), "page": _page(graph.get(use_case))}
                    for use_case in dict.fromkeys(d.use_case for d in model.deployments)
                ],
                "reviewed": model.reviewed,
            }
        )
    return entries


def screening_index(graph: Graph) -> dict:
    """Name keys -> companies, with the suffix list the browser strips before looking up."""
    keys: dict[str, list[dict]] = {}
    companies = []
    for number, company in enumerate(graph.by_kind["companies"]):
        model = company.model
        status = listing_status(graph, company)
        companies.append(
            {
                "id": company.id,
                "name": model.name,
                "name_zh": model.name_zh,
                "page": _page(company),
                "status": status["summary"],
                "active": status["active"],
            }
        )
        for label in (model.name, model.name_zh, *model.aliases):
            if not label:
                continue
            for key in sorted(keys_for(label)):
                matches = keys.setdefault(key, [])
                if all(match["c"] != number for match in matches):
                    matches.append({"c": number, "on": label})
    return {
        "latin_suffixes": list(LATIN_SUFFIXES),
        "chinese_suffixes": list(CHINESE_SUFFIXES),
        "companies": companies,
        "keys": keys,
    }


def index_files(graph: Graph) -> dict[str, str]:
    """``{site path: JSON}`` for the browser indexes."""
    return {
        "assets/kb/compare.json": json.dumps(compare_index(graph), ensure_ascii=False, separators=(",", ":")),
        "assets/kb/screening.json": json.dumps(screening_index(graph), ensure_ascii=False, separators=(",", ":")),
    }
