const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * Layout elements of Go's reference time "Mon Jan 2 15:04:05 MST 2006", longest first where one is
 * the prefix of another, as Go's time.Format recognises them.
 */
const ELEMENTS = [
  "January",
  "Jan",
  "Monday",
  "Mon",
  "MST",
  "2006",
  "002",
  "01",
  "02",
  "03",
  "04",
  "05",
  "06",
  "15",
  "__2",
  "_2",
  "1",
  "2",
  "3",
  "4",
  "5",
  "PM",
  "pm",
  "Z070000",
  "Z07:00:00",
  "Z0700",
  "Z07:00",
  "Z07",
  "-070000",
  "-07:00:00",
  "-0700",
  "-07:00",
  "-07",
];

const two = (n: number) => String(n).padStart(2, "0");

/** formatGoLayout formats a time in the local time zone with a Go layout such as "2006-01-02 15:04". */
export function formatGoLayout(t: Date, layout: string): string {
  let out = "";
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      out += fraction(t, frac[0]);
      i += frac[0].length;
      continue;
    }
    const element = ELEMENTS.find((e) => layout.startsWith(e, i));
    if (element === undefined) {
      out += layout[i];
      i++;
      continue;
    }
    out += render(t, element);
    i += element.length;
  }
  return out;
}

function render(t: Date, element: string): string {
  const hour12 = t.getHours() % 12 || 12;
  switch (element) {
    case "January":
      return MONTHS[t.getMonth()]!;
    case "Jan":
      return MONTHS[t.getMonth()]!.slice(0, 3);
    case "Monday":
      return DAYS[t.getDay()]!;
    case "Mon":
      return DAYS[t.getDay()]!.slice(0, 3);
    case "MST":
      return zoneName(t);
    case "2006":
      return String(t.getFullYear()).padStart(4, "0");
    case "06":
      return two(t.getFullYear() % 100);
    case "01":
      return two(t.getMonth() + 1);
    case "1":
      return String(t.getMonth() + 1);
    case "02":
      return two(t.getDate());
    case "_2":
      return String(t.getDate()).padStart(2, " ");
    case "2":
      return String(t.getDate());
    case "002":
      return String(dayOfYear(t)).padStart(3, "0");
    case "__2":
      return String(dayOfYear(t)).padStart(3, " ");
    case "15":
      return two(t.getHours());
    case "03":
      return two(hour12);
    case "3":
      return String(hour12);
    case "04":
      return two(t.getMinutes());
    case "4":
      return String(t.getMinutes());
    case "05":
      return two(t.getSeconds());
    case "5":
      return String(t.getSeconds());
    case "PM":
      return t.getHours() >= 12 ? "PM" : "AM";
    case "pm":
      return t.getHours() >= 12 ? "pm" : "am";
    default:
      return offset(t, element);
  }
}

function dayOfYear(t: Date): number {
  return (
    (Date.UTC(t.getFullYear(), t.getMonth(), t.getDate()) - Date.UTC(t.getFullYear(), 0, 1)) / 86_400_000 + 1
  );
}

/** offset renders the numeric zone elements (-0700, -07:00, Z07:00, …); the Z forms print Z for UTC. */
function offset(t: Date, element: string): string {
  const minutes = -t.getTimezoneOffset();
  if (element.startsWith("Z") && minutes === 0) return "Z";
  const sign = minutes < 0 ? "-" : "+";
  const h = two(Math.floor(Math.abs(minutes) / 60));
  const m = two(Math.abs(minutes) % 60);
  const shape = element.slice(1);
  if (shape === "07") return `${sign}${h}`;
  if (shape === "0700") return `${sign}${h}${m}`;
  if (shape === "07:00") return `${sign}${h}:${m}`;
  if (shape === "070000") return `${sign}${h}${m}00`;
  return `${sign}${h}:${m}:00`;
}

/** zoneName is the zone abbreviation (CEST, EDT, UTC); zones without one print as +09 or +0530, as in tzdata. */
function zoneName(t: Date): string {
  for (const locale of ["en-US", "en-GB"]) {
    const name = new Intl.DateTimeFormat(locale, { timeZoneName: "short" })
      .formatToParts(t)
      .find((p) => p.type === "timeZoneName")?.value;
    if (name && !/^GMT/.test(name)) return name;
  }
  if (t.getTimezoneOffset() === 0) return "UTC";
  return t.getTimezoneOffset() % 60 === 0 ? offset(t, "-07") : offset(t, "-0700");
}

/** fraction renders ".000" (fixed digits) or ".999" (trailing zeros dropped) fractional seconds. */
function fraction(t: Date, element: string): string {
  const digits = String(t.getMilliseconds())
    .padStart(3, "0")
    .padEnd(element.length - 1, "0")
    .slice(0, element.length - 1);
  if (element[1] === "0") return element[0] + digits;
  const trimmed = digits.replace(/0+$/, "");
  return trimmed ? element[0] + trimmed : "";
}

/** goDuration writes a duration (milliseconds, rounded to seconds) as Go's Duration.String does: 1h2m3s, 45s, 0s. */
export function goDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const total = Math.round(Math.abs(ms) / 1000);
  if (total === 0) return "0s";
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}
