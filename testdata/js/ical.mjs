// node ical.mjs calendar.ics YEARS
//
// Parses an iCalendar file with ical.js, registers every VTIMEZONE it
// carries with ICAL.TimezoneService, and prints as JSON, for every VEVENT:
// its UID, whether it is an all-day event, the TZID its start was read in,
// every occurrence ical.js expands (event.iterator(): RRULE, RDATE and
// EXDATE) from its start until YEARS years after it, as an instant in UTC
// (timed events) or a date (all-day events), and its alarms' triggers.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const text = readFileSync(process.argv[2], 'utf8');
const years = Number(process.argv[3] || 10);
const root = new ICAL.Component(ICAL.parse(text));
const zones = [];
for (const vtz of root.getAllSubcomponents('vtimezone')) {
  const tz = new ICAL.Timezone(vtz);
  ICAL.TimezoneService.register(tz);
  zones.push(tz.tzid);
}
const pad = (n, w = 2) => String(n).padStart(w, '0');
const events = root.getAllSubcomponents('vevent').map((comp) => {
  const ev = new ICAL.Event(comp);
  const start = ev.startDate;
  const allDay = start.isDate;
  const until = start.clone();
  until.year += years;
  const it = ev.iterator();
  const occurrences = [];
  for (let next = it.next(); next && next.compare(until) <= 0; next = it.next()) {
    if (allDay) {
      occurrences.push(`${pad(next.year, 4)}-${pad(next.month)}-${pad(next.day)}`);
    } else {
      occurrences.push(next.toJSDate().toISOString());
    }
    if (occurrences.length > 100000) throw new Error('runaway expansion');
  }
  const alarms = comp.getAllSubcomponents('valarm').map((a) => a.getFirstPropertyValue('trigger').toString());
  return {
    uid: ev.uid, summary: ev.summary, allDay, recurring: ev.isRecurring(),
    tzid: allDay ? '' : (start.zone ? start.zone.tzid : ''), occurrences, alarms,
  };
});
process.stdout.write(JSON.stringify({ zones, events }));
