"""Attach painread's FHIR document to a patient's record with a DocumentReference.

The Bundle travels whole, as the attachment's data, so the portal stores exactly
the bytes painread wrote: every narrative with its disclaimer and notices. Run it
to print the DocumentReference for a patient id given on the command line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from typing import Any

import painread


def document_reference(bundle_json: str, patient_id: str) -> dict[str, Any]:
    """A FHIR R4 DocumentReference for one patient whose content is the whole Bundle."""
    bundle = json.loads(bundle_json)
    composition = bundle["entry"][0]["resource"]
    data = bundle_json.encode("utf-8")
    return {
        "resourceType": "DocumentReference",
        "masterIdentifier": bundle["identifier"],
        "identifier": [composition["identifier"]],
        "status": "current",
        "docStatus": composition["status"],
        "type": composition["type"],
        "category": composition["category"],
        "subject": {"reference": f"Patient/{patient_id}"},
        "author": [{"display": author["display"]} for author in composition["author"]],
        "description": composition["title"],
        "content": [
            {
                "attachment": {
                    "contentType": "application/fhir+json",
                    "language": composition["language"],
                    "data": base64.b64encode(data).decode("ascii"),
                    "size": len(data),
                    "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),
                    "title": composition["title"],
                    "creation": composition["date"],
                }
            }
        ],
    }


def main(argv: list[str]) -> int:
    patient_id = argv[0] if argv else "example"
    locale = painread.negotiate(argv[1] if len(argv) > 1 else None)
    bundle_json = painread.render(painread.load(locale), "fhir")
    print(json.dumps(document_reference(bundle_json, patient_id), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
