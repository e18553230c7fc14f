/** @odoo-module **/
// The browser's twin of lib/sla_display.py: same rules, same words
// (tests_pure/test_sla_display.py and the tours check both).
import { _t } from "@web/core/l10n/translation";
import { localization } from "@web/core/l10n/localization";

export const OPEN_STATES = ["running", "at_risk"];

export function humanDuration(hours, dayHours = null, business = true) {
    const minutes = Math.round(Math.abs(hours || 0) * 60);
    if (dayHours && dayHours > 0) {
        const dayMinutes = Math.round(dayHours * 60);
        if (dayMinutes && minutes >= dayMinutes && minutes % dayMinutes === 0) {
            const days = minutes / dayMinutes;
            if (business && dayMinutes < 24 * 60) {
                return days === 1
                    ? _t("1 business day")
                    : _t("%(count)s business days", { count: days });
            }
            return days === 1 ? _t("1 day") : _t("%(count)s days", { count: days });
        }
    }
    const hoursPart = Math.floor(minutes / 60);
    const minutesPart = minutes % 60;
    if (!hoursPart) {
        return _t("%(count)s min", { count: minutesPart });
    }
    if (!minutesPart) {
        return _t("%(count)s h", { count: hoursPart });
    }
    return _t("%(hours)s h %(minutes)s min", { hours: hoursPart, minutes: minutesPart });
}

// The unit words of the user's language, as humanDuration writes them
// ("jours ouvrés" -> day), so that a translated duration reads back.
function localUnitWords() {
    const pairs = [
        [_t("%(count)s business days"), "day"],
        [_t("1 business day"), "day"],
        [_t("%(count)s days"), "day"],
        [_t("1 day"), "day"],
        [_t("%(count)s h"), "h"],
        [_t("%(count)s min"), "min"],
    ];
    return pairs
        .map(([template, unit]) => [
            String(template).replace("%(count)s", " ").replace(/\b1\b/, " ").trim().toLowerCase(),
            unit,
        ])
        .filter(([words]) => words)
        .sort((a, b) => b[0].length - a[0].length);
}

export function parseDuration(text, dayHours = null) {
    text = (text || "").trim().toLowerCase();
    for (const [words, unit] of localUnitWords()) {
        text = text.replaceAll(words, ` ${unit} `);
    }
    text = text.replaceAll(",", ".");
    if (!text) {
        return 0;
    }
    if (text.includes(":")) {
        const [hours, minutes] = text.split(":");
        const total = Number(hours || 0) + Number(minutes || 0) / 60;
        return Number.isNaN(total) ? null : total;
    }
    const units = { h: 1, min: 1 / 60, day: dayHours || 24 };
    let total = 0;
    let number = "";
    let seen = false;
    const tokens = text
        .replaceAll("business", " ")
        .replaceAll("days", "day")
        .replaceAll("min", " min ")
        .replace(/h(?!\w)/g, " h ")
        .split(/\s+/);
    for (const token of tokens.filter(Boolean)) {
        if (token in units) {
            if (!number) {
                return null;
            }
            total += Number(number) * units[token];
            number = "";
            seen = true;
        } else if (Number.isNaN(Number(token)) || number) {
            return null;
        } else {
            number = token;
        }
    }
    if (number) {
        total += Number(number);
        seen = true;
    }
    return seen ? total : null;
}

export function liveState(clock, now) {
    const state = clock.state;
    if (clock.done || ![...OPEN_STATES, "breached"].includes(state)) {
        return state;
    }
    if (now > clock.deadline) {
        return "breached";
    }
    if (state === "running" && clock.warning_at !== null && now >= clock.warning_at) {
        return "at_risk";
    }
    return state;
}

export function lateSeconds(clock, now) {
    if (clock.late !== null && clock.late !== undefined) {
        const grown = clock.work_until
            ? Math.max(0, Math.min(now, clock.work_until) - clock.computed_at)
            : 0;
        return clock.late + grown;
    }
    const block = clock.deadline_block;
    if (block && block[0] <= now) {
        return Math.max(0, Math.min(now, block[1]) - clock.deadline);
    }
    return null;
}

export function countdown(clock, now) {
    const state = liveState(clock, now);
    if (state === "paused") {
        return [state, "paused", null];
    }
    if (clock.done || state === "met") {
        return [state, "done", state];
    }
    if (state === "breached") {
        return [state, "late", lateSeconds(clock, now)];
    }
    const block = clock.deadline_block;
    if (block && block[0] <= now && now <= clock.deadline) {
        return [state, "in", clock.deadline - now];
    }
    return [state, "at", clock.deadline];
}

export function dayWord(momentDate, today) {
    const days = Math.round(momentDate.startOf("day").diff(today.startOf("day"), "days").days);
    if (days <= 0) {
        return "today";
    }
    if (days === 1) {
        return "tomorrow";
    }
    return days < 7 ? "week" : "date";
}

export function momentText(epochSeconds, now) {
    const { DateTime } = luxon;
    const local = DateTime.fromSeconds(epochSeconds);
    const timeFormat = (localization.timeFormat || "HH:mm:ss").replace(":ss", "");
    const time = local.toFormat(timeFormat);
    const word = dayWord(local, DateTime.fromSeconds(now));
    if (word === "today") {
        return time;
    }
    if (word === "tomorrow") {
        return _t("%(time)s tomorrow", { time });
    }
    if (word === "week") {
        return _t("%(day)s %(time)s", { day: local.toFormat("ccc"), time });
    }
    return `${local.toFormat(localization.dateFormat)} ${time}`;
}

function breachedText(response) {
    return response ? _t("Response breached") : _t("Resolution breached");
}

export function countdownText(kind, mode, value, moment = null) {
    const response = kind === "response";
    if (mode === "paused") {
        return _t("Paused");
    }
    if (mode === "done") {
        return value !== "breached" ? _t("Met") : breachedText(response);
    }
    if (mode === "in") {
        const duration = humanDuration(Math.ceil(value / 60) / 60);
        return response
            ? _t("Response due in %(duration)s", { duration })
            : _t("Resolution due in %(duration)s", { duration });
    }
    if (mode === "at") {
        return response
            ? _t("Response due %(moment)s", { moment })
            : _t("Resolution due %(moment)s", { moment });
    }
    if (value === null || value < 60) {
        // Not a whole minute of business time yet (e.g. due at closing time).
        return breachedText(response);
    }
    const duration = humanDuration(Math.floor(value / 60) / 60);
    return response
        ? _t("Response %(duration)s late", { duration })
        : _t("Resolution %(duration)s late", { duration });
}
