#!/usr/bin/env python3
"""A zone and a feed that probe the abuse ingest's presence decision (src/libabuse/present.c).

Writes ZONE_DIR/{canonical,text,shuffled,late}.zone (the same delegations in canonical order,
in text order as `sort` makes it, shuffled, canonical with one owner moved near the end), a feed
FEED and the expected presence EXPECT (domain,in_zone), computed here by set membership; and
ZONE_DIR/origin.zone with EXPECT.origin: canonical, but from 40% on under a $ORIGIN of a child
(the names there are below it; parallel parts cannot know it and are read again in one piece,
and nothing a part found with the wrong origin may count).
Names: labels of 1-40 bytes, many sharing their first 8 or 16 bytes (the merge's keys), labels
that are prefixes of others followed by '-' (text and canonical order differ there), names
below listed labels that are not delegated themselves, listed names between delegated ones.
Usage: presence_world.py ZONE_DIR FEED EXPECT
"""
import os
import random
import sys

zdir, feed, expect = sys.argv[1:4]
rng = random.Random(24)
ORIGIN = "pres"
ALPHA = "abcdefghijklmnopqrstuvwxyz0123456789"


def word(n):
    return "".join(rng.choice(ALPHA) for _ in range(n))


labels = set()
# shared prefixes of 8 and 16 bytes, and exactly 8, 16, 17 bytes long
for stem in ("abcdefgh", "abcdefghijklmnop", "zzzzzzzz", "x" * 16):
    labels.add(stem)
    for _ in range(400):
        labels.add(stem + word(rng.randint(1, 20)))
        labels.add(stem + "-" + word(rng.randint(1, 6)))
for _ in range(30000):
    labels.add(word(rng.randint(1, 40)).strip("-") or "q")
for base in list(labels)[:2000]:
    labels.add(base + "-" + word(3))
labels = sorted(l for l in labels if l and not l.startswith("-") and not l.endswith("-"))

delegated = set(l for l in labels if rng.random() < 0.6)
# names below a label: some whose label is delegated too, some whose label is not
below = set()
for l in rng.sample(labels, 1500):
    below.add("sub." + l)
owners = sorted(delegated) + sorted(below)


def canon_key(owner):
    return tuple(x.encode() for x in reversed(owner.split(".")))


def ns_lines(owner):
    return [f"{owner}.{ORIGIN}. 3600 IN NS ns1.hoster{len(owner) % 7}.net.\n",
            f"{owner}.{ORIGIN}. 3600 IN NS ns2.hoster{len(owner) % 7}.net.\n"]


head = (f"$ORIGIN {ORIGIN}.\n$TTL 3600\n"
        f"{ORIGIN}. 3600 IN SOA a.nic.{ORIGIN}. h.nic.{ORIGIN}. 2026112301 1800 900 604800 3600\n"
        f"{ORIGIN}. 3600 IN NS a.nic.{ORIGIN}.\n")
orders = {
    "canonical": sorted(owners, key=canon_key),
    "text": sorted(owners, key=lambda o: f"{o}.{ORIGIN}."),
    "shuffled": rng.sample(owners, len(owners)),
}
late = list(orders["canonical"])
moved = late.pop(len(late) // 10)  # an early owner written near the end
late.insert(len(late) - 50, moved)
orders["late"] = late
for name, order in orders.items():
    with open(os.path.join(zdir, f"{name}.zone"), "w") as f:
        f.write(head)
        for o in order:
            f.writelines(ns_lines(o))

listed = rng.sample(labels, 6000)
with open(feed, "w") as f:
    for l in listed:
        f.write(f"https://www.{l}.{ORIGIN}/login\n")
with open(expect, "w") as f:
    for l in sorted(set(listed)):
        f.write(f"{l}.{ORIGIN},{1 if l in delegated else 0}\n")

# the $ORIGIN switch: owners from 40% on are below "zzzzzz-other"
order = orders["canonical"]
cut = len(order) * 4 // 10
with open(os.path.join(zdir, "origin.zone"), "w") as f:
    f.write(head)
    for o in order[:cut]:
        f.writelines(ns_lines(o))
    f.write(f"$ORIGIN zzzzzz-other.{ORIGIN}.\n")
    for o in order[cut:]:
        f.writelines(l.replace(f"{o}.{ORIGIN}. ", f"{o} ") for l in ns_lines(o))
before = set(o for o in order[:cut] if "." not in o)
with open(expect + ".origin", "w") as f:
    for l in sorted(set(listed)):
        f.write(f"{l}.{ORIGIN},{1 if l in before else 0}\n")
