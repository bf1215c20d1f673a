"""Malmökommissionen's six areas, in the report's order (numbers 1–6)."""

AREAS = [
    "Barn och ungas vardagsvillkor",
    "Boendemiljö och stadsplanering",
    "Utbildning",
    "Inkomst och arbete",
    "Hälso- och sjukvård",
    "Förändrade processer för en hållbar utveckling",
]
