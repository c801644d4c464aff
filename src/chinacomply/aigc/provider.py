"""The service-provider code of the AIGC implicit label (TC260-PG-20252A, 网安秘字〔2025〕29号).

27 digits and upper-case letters: positions 1-2 the format code `00`; 3 the subject type (`1`
organisation, `2` individual); 4 the binding type (`1`: the organisation's unified social credit
code, or the individual's resident ID number); 5-22 that number;
23 the service type (`1` generation, `2` propagation, `0` unused); 24-27 a code the provider
chooses for its model or app (`0000` when unused). Decoding real labels confirms this layout
(`00 1 1 91440300708461136T 1 XGW3`), so a code whose embedded USCC fails its GB 32100 check
character was mistyped or made up.

Individuals (subject type 2, bound to an ID number) come from a single implementer's reading of
the guide (docs/aigc-verification.md, row 3.2): accepted, and the number checked by GB 11643.

LBL25 Art. 5 allows the provider's *name* instead of a code, so a value that is not shaped like a
code at all is a name, reported as such, not an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chinacomply.scan.recognizer import Validity
from chinacomply.scan.recognizers import cn_resident_id, uscc

LENGTH = 27
FORMAT_CODE = "00"
SERVICE_TYPES = {"0": "unused", "1": "generation", "2": "propagation"}
_CODE_SHAPE = re.compile(r"[0-9A-Z]{27}")
# Subject type → what positions 5-22 hold and how that number is checked. The number itself is
# never echoed in a message: an individual's is personal information.
SUBJECT_NUMBERS = {
    "1": ("unified social credit code (GB 32100 check character)", uscc.validate),
    "2": ("resident ID number (GB 11643 check digit)", cn_resident_id.validate),
}


@dataclass(frozen=True, slots=True)
class ProviderCode:
    """A decoded provider code; `problems` is empty when every part checks out."""

    value: str
    subject_type: str
    binding_type: str
    credit_code: str
    service_type: str
    service_code: str
    problems: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.problems


def looks_like_code(value: str) -> bool:
    """True for a value meant as a code (27 code characters, or any value starting `00` and made of
    code characters): such a value is checked strictly; anything else is a provider name."""
    return bool(_CODE_SHAPE.fullmatch(value)) or (
        value.startswith(FORMAT_CODE) and value.isascii() and value.isalnum() and len(value) >= 20
    )


def parse(value: str) -> ProviderCode:
    """Decode a provider code and list what is wrong with it, part by part."""
    problems: list[str] = []
    if len(value) != LENGTH:
        problems.append(f"has {len(value)} characters, a provider code has {LENGTH}")
    if not _CODE_SHAPE.fullmatch(value.ljust(LENGTH, "0")[:LENGTH]):
        problems.append("may hold only digits and upper-case letters")
    padded = value.ljust(LENGTH)
    if padded[0:2] != FORMAT_CODE:
        problems.append(f"format code (positions 1-2) is {padded[0:2]!r}, expected '00'")
    subject, binding, credit = padded[2], padded[3], padded[4:22]
    service, service_code = padded[22], padded[23:27]
    if subject not in SUBJECT_NUMBERS:
        problems.append(
            f"subject type (position 3) {subject!r} is not 1 (organisation) or 2 (individual)"
        )
    elif binding != "1":
        problems.append(f"binding type (position 4) {binding!r} is not '1'")
    else:
        what, validate = SUBJECT_NUMBERS[subject]
        if validate(credit) is not Validity.VALID:
            problems.append(f"embedded {what} (positions 5-22) fails its check")
    if service not in SERVICE_TYPES:
        problems.append(
            f"service type (position 23) {service!r} is not 0 (unused), 1 (generation) "
            "or 2 (propagation)"
        )
    elif service == "0" and service_code != "0000":
        problems.append("service extension is unused (position 23 is 0) but 24-27 are not 0000")
    return ProviderCode(value, subject, binding, credit, service, service_code, tuple(problems))
