"""Merged cases point at the case they were merged into; existing cases get the duplicate key by post id.

Before this, ``x.com/HatefulHandle99/status/N`` and ``x.com/hatefulhandle99/status/N`` were two posts to the
Hub. The new rule (``reports.links.post_identity``) keys a case by platform and post id where the link carries
one, and compares handles without regard to case elsewhere. ``rekey_cases`` works out the new key of every
case from its first report's stored link and writes it where it differs.

The rule is copied here as it stood when this migration was written, not imported: a migration must do the
same thing whenever it runs, and the live rule may change later.

Where two existing cases turn out to be one post, the case that already holds the new key keeps it (or, if
none does, the earliest case takes it) and the others keep their old keys. They are not merged here: a merge
moves reports, reporters and counter-speech and closes a case, which is an officer's decision (see
``triage/merging.py``). Each of them gets a note on its timeline naming the others, so officers can merge them.
The migration never fails on a collision: a key that cannot be written is left as it was.
"""

import hashlib
import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import django.db.models.deletion
from django.db import IntegrityError, migrations, models, transaction

# --- The rule, as of this migration (see reports/links.py for the reasons) -----------------------------

_DOMAINS = {
    "x.com": "x", "twitter.com": "x", "t.co": "x",
    "facebook.com": "facebook", "fb.com": "facebook", "fb.watch": "facebook",
    "instagram.com": "instagram", "instagr.am": "instagram",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube", "youtu.be": "youtube",
    "reddit.com": "reddit", "redd.it": "reddit",
    "t.me": "telegram", "telegram.me": "telegram", "telegram.org": "telegram",
}  # fmt: skip
_BASE36 = re.compile(r"[0-9a-z]+")
_DIGITS = re.compile(r"[0-9]+")
_WORD_ID = re.compile(r"[A-Za-z0-9_-]+")


def _platform(host):
    labels = host.split(".")
    for start in range(len(labels) - 1):
        found = _DOMAINS.get(".".join(labels[start:]))
        if found:
            return found
    return "other"


def _after(segments, names, within):
    for index, segment in enumerate(segments[:within]):
        if segment in names and index + 1 < len(segments):
            return segments[index + 1]
    return ""


def _post_id(platform, host, segments, query):
    found, pattern = "", _WORD_ID
    if platform == "x" and host == "x.com":
        found, pattern = _after(segments, ("status", "statuses"), 3), _DIGITS
    elif platform == "youtube" and segments:
        found = (
            query.get("v", "") if segments[0] == "watch" else _after(segments, ("shorts", "embed", "live", "v", "e"), 1)
        )
    elif platform == "tiktok" and host == "www.tiktok.com" and segments:
        pattern = _DIGITS
        if segments[0].startswith("@"):
            found = _after(segments, ("video", "photo"), 2)
        elif segments[0] == "embed":
            found = segments[2] if segments[1:2] == ["v2"] and len(segments) > 2 else "".join(segments[1:2])
        else:
            found = _after(segments, ("v",), 1).removesuffix(".html")
    elif platform == "facebook" and host == "www.facebook.com" and segments:
        if segments[0] in ("permalink.php", "story.php"):
            found = query.get("story_fbid", "")
        elif segments[0] in ("photo.php", "photo"):
            found = query.get("fbid", "")
        elif segments[0] == "watch":
            found = query.get("v", "")
        elif segments[0] == "reel":
            found = _after(segments, ("reel",), 1)
        else:
            found = _after(segments[1:], ("posts", "permalink", "videos"), 2)
    elif platform == "instagram":
        found = _after(segments, ("p", "reel", "reels", "tv"), 2)
    elif platform == "reddit":
        if host == "redd.it":
            found = f"t3_{segments[0].lower()}" if len(segments) == 1 else ""
        elif "comments" in segments[:3]:
            rest = [segment.lower() for segment in segments[segments.index("comments") + 1 :]]
            found = f"t1_{rest[2]}" if len(rest) >= 3 else f"t3_{rest[0]}" if rest else ""
        return found if found and _BASE36.fullmatch(found[3:]) else ""
    return found if pattern.fullmatch(found) else ""


def _lower_handles(host, segments):
    def lower(*indexes):
        for index in indexes:
            if index < len(segments):
                segments[index] = segments[index].lower()

    first = segments[0].lower()
    if host == "x.com" and segments[0] != "i":
        lower(0)
    elif host == "www.instagram.com":
        lower(0, 1) if first == "stories" else lower(0)
    elif host == "www.reddit.com" and first in ("r", "u", "user"):
        lower(0, 1)
    elif host in ("www.tiktok.com", "www.youtube.com"):
        lower(*(index for index, segment in enumerate(segments) if segment.startswith("@")))
        if host == "www.youtube.com" and first in ("c", "user"):
            lower(0, 1)
    elif host == "www.facebook.com":
        lower(0)
    elif host == "t.me" and not (segments[0].startswith("+") or segments[0] in ("joinchat", "c")):
        lower(0, 1) if first == "s" else lower(0)


def post_identity(normalised_url):
    parts = urlsplit(normalised_url)
    host = parts.hostname or ""
    platform = _platform(host)
    found = _post_id(
        platform,
        host,
        [segment for segment in parts.path.split("/") if segment],
        dict(parse_qsl(parts.query, keep_blank_values=True)),
    )
    if found:
        return f"post\n{platform}\n{found}"
    segments = parts.path.split("/")[1:]
    if segments and segments[0]:
        _lower_handles(host, segments)
        normalised_url = urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segments), parts.query, parts.fragment))
    return f"url\n{normalised_url}"


def _sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


# --- The data migration -------------------------------------------------------------------------------


def rekey_cases(apps, schema_editor):
    Case = apps.get_model("triage", "Case")
    CaseEvent = apps.get_model("triage", "CaseEvent")
    Report = apps.get_model("reports", "Report")

    first_link = {}
    reports = (
        Report.objects.exclude(normalised_url="").order_by("case_id", "pk").values_list("case_id", "normalised_url")
    )
    for case_id, link in reports.iterator(chunk_size=2000):
        first_link.setdefault(case_id, link)

    # Cases by their new key, earliest first. A case keyed some other way than the old rule says is left alone.
    same_post = {}
    for pk, key in Case.objects.order_by("created_at", "pk").values_list("pk", "post_key").iterator(chunk_size=2000):
        link = first_link.get(pk)
        if link is None or key != _sha256(f"url\n{link}"):
            continue
        same_post.setdefault(_sha256(post_identity(link)), []).append((pk, key))

    for new_key, cases in same_post.items():
        if not any(key == new_key for _, key in cases):
            try:
                with transaction.atomic():  # a savepoint: a key taken after all is left as it was
                    Case.objects.filter(pk=cases[0][0]).update(post_key=new_key)
            except IntegrityError:
                pass
        if len(cases) > 1:
            for pk, _ in cases:
                others = ", ".join(str(other) for other, _ in cases if other != pk)
                CaseEvent.objects.create(
                    case_id=pk,
                    kind="note",
                    note=(
                        f"The same post as case {others}: the Hub now recognises links to one post however the "
                        "poster's handle is written. If nothing else tells them apart, merge them."
                    ),
                )


class Migration(migrations.Migration):
    dependencies = [("triage", "0009_caseevent_redacted"), ("reports", "0006_report_redacted_at")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_cases",
                to="triage.case",
            ),
        ),
        migrations.RunPython(rekey_cases, migrations.RunPython.noop),
    ]
