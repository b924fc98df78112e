#!/usr/bin/env python3
"""Drives a CalDAV server the way users of Python's `caldav` library (0.11, Debian's
python3-caldav) do, and prints what the library saw as one JSON object.

    python3 python-caldav-flow.py <base url> <user> <password> <flow> [calendar id]

The base URL is the server root; the library is given `<base>/dav/` and discovers the
rest. Flows: discover, calendar, events, todos, sync. Any exception the library raises
ends the run with a traceback and a non-zero exit, so the caller sees what broke.
"""
import json
import sys
from datetime import datetime, timedelta, timezone

import caldav
from caldav.elements import cdav, dav
from caldav.lib import error

DISPLAYNAME = dav.DisplayName.tag
DESCRIPTION = cdav.CalendarDescription.tag

# Objects outside a month back / a year ahead are hidden by the server, so everything is
# dated from tomorrow on, at whole hours in UTC.
TODAY = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
DAY1 = TODAY + timedelta(days=1)


def stamp(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ")


def vcalendar(*lines):
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//davmesh tests//python-caldav//EN", *lines, "END:VCALENDAR", ""])


def vevent(uid, summary, start, hours=1, *extra):
    return vcalendar(
        "BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp(TODAY)}", f"DTSTART:{stamp(start)}",
        f"DTEND:{stamp(start + timedelta(hours=hours))}", f"SUMMARY:{summary}", *extra, "END:VEVENT",
    )


def vtodo(uid, summary, *extra):
    return vcalendar("BEGIN:VTODO", f"UID:{uid}", f"DTSTAMP:{stamp(TODAY)}", f"SUMMARY:{summary}", *extra, "END:VTODO")


def summaries(objects):
    """SUMMARY of every component the objects carry (an expanded recurrence gives one per instance)."""
    found = []
    for obj in objects:
        for component in obj.icalendar_instance.walk():
            if component.name in ("VEVENT", "VTODO"):
                found.append(str(component.get("SUMMARY")))
    return sorted(found)


def recurrence_ids(objects):
    return sorted(
        component.decoded("RECURRENCE-ID").strftime("%Y%m%dT%H%M%SZ")
        for obj in objects
        for component in obj.icalendar_instance.walk("VEVENT")
        if component.get("RECURRENCE-ID") is not None
    )


def rrules(objects):
    return sum(1 for obj in objects for component in obj.icalendar_instance.walk("VEVENT") if component.get("RRULE") is not None)


# search(expand=True) falls back to expanding on the client when the answer still has an
# RRULE; counted, so a server that does not expand cannot pass unnoticed.
CLIENT_EXPANSIONS = []
_expand_rrule = caldav.objects.CalendarObjectResource.expand_rrule


def _counted_expand_rrule(self, start, end):
    CLIENT_EXPANSIONS.append(str(self.url.path))
    return _expand_rrule(self, start, end)


caldav.objects.CalendarObjectResource.expand_rrule = _counted_expand_rrule


def path(obj):
    return str(obj.url.path)


def fresh_calendar(principal, cal_id, name, components=None):
    """A calendar of the flow's own, made again if an earlier run left it."""
    try:
        principal.calendar(cal_id=cal_id).delete()
    except error.DAVError:
        pass
    return principal.make_calendar(name=name, cal_id=cal_id, supported_calendar_component_set=components)


def discover(principal, _):
    home = principal.calendar_home_set
    calendars = principal.calendars()
    # What people paste into Home Assistant or a script: the host, or the well-known path.
    from_elsewhere = {start: str(connect(start, PASSWORD).principal().url.path) for start in ("/", "/.well-known/caldav", "/dav/caldav/")}
    try:
        connect("/dav/", PASSWORD + "-wrong").principal()
        wrong_password = "accepted"
    except error.AuthorizationError:
        wrong_password = "AuthorizationError"
    return {
        "principalFrom": from_elsewhere,
        "wrongPassword": wrong_password,
        "principal": str(principal.url.path),
        "home": str(home.url.path),
        "calendars": sorted(
            ({"name": c.get_display_name(), "path": path(c), "components": c.get_supported_components()} for c in calendars),
            key=lambda c: c["name"],
        ),
    }


def calendar(principal, cal_id):
    made = principal.make_calendar(name="Python made", cal_id=cal_id)
    listed_after_make = [path(c) for c in principal.calendars()]
    components = made.get_supported_components()
    before = made.get_properties([dav.DisplayName(), cdav.CalendarDescription()])
    made.set_properties([dav.DisplayName("Renamed by python"), cdav.CalendarDescription("set with PROPPATCH")])
    after = made.get_properties([dav.DisplayName(), cdav.CalendarDescription()])
    tasks_only = fresh_calendar(principal, cal_id + "-tasks", "Python tasks", ["VTODO"])
    tasks_components = tasks_only.get_supported_components()
    made.delete()
    tasks_only.delete()
    return {
        "path": path(made),
        "listedAfterMake": path(made) in listed_after_make,
        "components": sorted(components),
        "tasksOnlyComponents": tasks_components,
        "before": {"displayname": before.get(DISPLAYNAME), "description": before.get(DESCRIPTION)},
        "after": {"displayname": after.get(DISPLAYNAME), "description": after.get(DESCRIPTION)},
        "listedAfterDelete": path(made) in [path(c) for c in principal.calendars()],
    }


def events(principal, cal_id):
    cal = fresh_calendar(principal, cal_id, "Python events", ["VEVENT"])
    start = DAY1.replace(hour=9)
    single = cal.save_event(vevent("py-single", "Dentist", start + timedelta(days=2, hours=2)))
    daily = cal.save_event(vevent("py-daily", "Standup", start, 1, "RRULE:FREQ=DAILY;COUNT=3"))
    far = cal.save_event(vevent("py-far", "Next month", start + timedelta(days=40)))

    loaded = cal.event_by_url(single.url)
    etag_before = loaded.props.get(dav.GetEtag.tag)
    loaded.icalendar_component["SUMMARY"] = "Dentist (moved)"
    loaded.save()
    reloaded = cal.event_by_url(single.url)

    window = (DAY1, DAY1 + timedelta(days=7))
    by_uid = cal.event_by_uid("py-daily")
    result = {
        "savedPaths": sorted(path(e) for e in (single, daily, far)),
        "summaryAfterEdit": str(reloaded.icalendar_component["SUMMARY"]),
        "etagChanged": etag_before is not None and etag_before != reloaded.props.get(dav.GetEtag.tag),
        "events": summaries(cal.events()),
        "dateSearchExpanded": summaries(cal.date_search(*window, expand=True)),
        "dateSearchExpandedRecurrenceIds": recurrence_ids(cal.date_search(*window, expand=True)),
        "dateSearchUnexpanded": summaries(cal.date_search(*window, expand=False)),
        "dateSearchUnexpandedRrules": rrules(cal.date_search(*window, expand=False)),
        "searchExpanded": summaries(cal.search(event=True, start=window[0], end=window[1], expand=True)),
        "searchSecondDay": summaries(cal.search(event=True, start=DAY1 + timedelta(days=1), end=DAY1 + timedelta(days=2), expand=True)),
        "searchBySummary": summaries(cal.search(event=True, summary="Dentist")),
        "eventByUid": {"path": path(by_uid), "summary": str(by_uid.icalendar_component["SUMMARY"])},
        "clientSideExpansions": list(CLIENT_EXPANSIONS),
    }

    busy = cal.freebusy_request(*window)
    periods = [p for component in busy.icalendar_instance.walk("VFREEBUSY") for p in component.get("FREEBUSY", [])]
    result["freebusy"] = sorted(f"{stamp(p.start)}/{stamp(p.end)}" for p in periods)

    single.delete()
    try:
        cal.event_by_uid("py-single")
        result["eventByUidAfterDelete"] = "found"
    except error.NotFoundError:
        result["eventByUidAfterDelete"] = "not found"
    result["eventsAfterDelete"] = summaries(cal.events())
    cal.delete()
    return result


def todos(principal, cal_id):
    cal = fresh_calendar(principal, cal_id, "Python tasks", ["VTODO"])
    due = (DAY1 + timedelta(days=3)).strftime("%Y%m%d")
    cal.save_todo(vtodo("py-open", "Water plants", f"DUE;VALUE=DATE:{due}", "STATUS:NEEDS-ACTION"))
    cal.save_todo(vtodo("py-nostatus", "Call mum"))
    cal.save_todo(vtodo("py-done", "File taxes", "STATUS:COMPLETED", f"COMPLETED:{stamp(TODAY)}"))
    cal.save_todo(vtodo("py-cancelled", "Old plan", "STATUS:CANCELLED"))
    completing = cal.save_todo(vtodo("py-complete-me", "Buy milk", "STATUS:IN-PROCESS"))

    pending_before = summaries(cal.todos())
    completing.complete()
    result = {
        "pendingBefore": pending_before,
        "pending": summaries(cal.todos()),
        "all": summaries(cal.todos(include_completed=True)),
        "todoByUid": str(cal.todo_by_uid("py-complete-me").icalendar_component["STATUS"]),
        "components": cal.get_supported_components(),
    }
    cal.delete()
    return result


def sync(principal, cal_id):
    cal = fresh_calendar(principal, cal_id, "Python sync", ["VEVENT"])
    start = DAY1.replace(hour=14)
    keep = cal.save_event(vevent("py-keep", "Keep", start))
    change = cal.save_event(vevent("py-change", "Change", start + timedelta(days=1)))
    drop = cal.save_event(vevent("py-drop", "Drop", start + timedelta(days=2)))
    # The library names a resource after its UID, a "/" quoted twice: "a%252Fb@host.ics".
    odd = cal.save_event(vevent("py-odd/1@example.org", "Odd UID", start + timedelta(days=4)))

    collection = cal.objects(load_objects=True)
    first = {"token": collection.sync_token, "summaries": summaries(collection), "unloaded": [path(o) for o in collection if o.data is None]}

    unchanged = cal.objects_by_sync_token(collection.sync_token, load_objects=True)
    second = {"token": unchanged.sync_token, "paths": sorted(path(o) for o in unchanged)}

    change.icalendar_component["SUMMARY"] = "Changed"
    change.save()
    drop.delete()
    added = cal.save_event(vevent("py-added", "Added", start + timedelta(days=3)))

    delta = cal.objects_by_sync_token(collection.sync_token, load_objects=False)
    third = {"token": delta.sync_token, "paths": sorted(path(o) for o in delta)}

    updated, deleted = collection.sync()
    result = {
        "first": first,
        "unchanged": second,
        "delta": third,
        "paths": {"keep": path(keep), "change": path(change), "drop": path(drop), "added": path(added), "odd": path(odd)},
        "syncUpdated": summaries(updated),
        "syncDeleted": sorted(path(o) for o in deleted),
        "afterSync": summaries(collection.objects),
        "tokenAfterSync": collection.sync_token,
    }
    cal.delete()
    return result


BASE = USER = PASSWORD = ""


def connect(start, password):
    return caldav.DAVClient(url=BASE.rstrip("/") + start, username=USER, password=password)


FLOWS = {"discover": discover, "calendar": calendar, "events": events, "todos": todos, "sync": sync}


def main():
    if len(sys.argv) < 5 or sys.argv[4] not in FLOWS:
        sys.exit(__doc__)
    global BASE, USER, PASSWORD
    BASE, USER, PASSWORD, flow = sys.argv[1:5]
    cal_id = sys.argv[5] if len(sys.argv) > 5 else f"python-{flow}"
    with connect("/dav/", PASSWORD) as client:
        result = FLOWS[flow](client.principal(), cal_id)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
