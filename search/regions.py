"""Names of places an investor types, and the search filter each one stands for.

Taken from the zones of the reference data (torchfin/reference_data/zones.py), the same rows the
database is seeded with: a zone's full name, its name without the kind of zone (上海张江 of
上海张江高新技术产业开发区) and without its city as well (张江); a city's name with and without
市 (深圳市, 深圳) stands for its zones; a province's name with and without its suffix (广东省,
广东, 广西) for the province. Where the names do not give a short form people use, the reviewed
ALIASES table does (光谷 for Wuhan East Lake); NOT_PLACES drops short forms that are ordinary
words more often than places.
"""

import re
from dataclasses import dataclass
from functools import cache

from torchfin.reference_data.zones import ZONES

# What follows a zone's place name in its official name: the kind of zone, with the theme some
# zones carry between the two (威海火炬高技术产业开发区, 包头稀土…, 泰州医药…, 杨凌农业…示范区).
_ZONE_KIND = re.compile(
    r"(国家)?(火炬|稀土|医药|农业)?(高新技术|高技术|新技术)(产业)?(开发区|园区|示范区)$|科技园区$"
)
_PROVINCE_SUFFIX = re.compile(r"(壮族|回族|维吾尔)?自治区$|[省市]$")

# Short names in use that the official names do not contain (reviewed by hand).
ALIASES: dict[str, str] = {
    "光谷": "wuhan_donghu",  # 中国光谷, Optics Valley
    "中国光谷": "wuhan_donghu",
    "中关村科学城": "zhongguancun",
    "紫竹高新区": "shanghai_zizhu",
    "张江高科": "shanghai_zhangjiang",
}

# Derived names that mean something else to most readers: 白银 is silver before it is a city.
NOT_PLACES = frozenset({"白银"})


@dataclass(frozen=True)
class Place:
    """What a place name stands for: the search filter (`zone` or `province`) and its values."""

    facet: str
    values: tuple[str, ...]


def _short_province(name: str) -> str:
    return _PROVINCE_SUFFIX.sub("", name)


def _short_city(name: str) -> str:
    return name.removesuffix("市")


def zone_names(zone) -> set[str]:
    """The names a zone goes by: official, without its kind, and without its city too."""
    names = {zone.name_zh}
    place = _ZONE_KIND.sub("", zone.name_zh)
    names.add(place)
    for city in (zone.city, _short_city(zone.city)):
        if place.startswith(city) and len(place) - len(city) >= 2:
            names.add(place[len(city) :])
    return {name for name in names if len(name) >= 2}


@cache
def place_names() -> dict[str, Place]:
    """Every place name -> what it stands for. A province's name wins over a city's of the same
    name (北京, 吉林: the province holds the city); a name two zones share stands for neither."""
    places: dict[str, Place] = {}
    by_city: dict[str, list[str]] = {}
    for zone in ZONES:
        by_city.setdefault(zone.city, []).append(zone.code)
    for city, codes in by_city.items():
        for name in (city, _short_city(city)):
            places[name] = Place("zone", tuple(codes))
    counted: dict[str, set[str]] = {}
    for zone in ZONES:
        for name in zone_names(zone):
            counted.setdefault(name, set()).add(zone.code)
    for name, codes in counted.items():
        if len(codes) == 1 and name not in places:
            places[name] = Place("zone", tuple(codes))
    for name, code in ALIASES.items():
        places[name] = Place("zone", (code,))
    for province in {zone.province for zone in ZONES}:
        for name in (province, _short_province(province)):
            places[name] = Place("province", (province,))
    return {name: place for name, place in places.items() if name not in NOT_PLACES}
