"""A period of days written as people write it, in pure Python.

"1–30 Nov 2026" within a month, "1 Oct – 31 Dec 2026" within a year,
"15 Dec 2026 – 14 Jan 2027" across years. Month names come from the caller
(the user's language, e.g. babel's abbreviated names).
"""

EN_DASH = "\u2013"


def period_label(first_day, last_day, month_names):
    """Label of the days from first_day to last_day (both included).

    month_names maps a month number (1-12) to its name."""
    if last_day < first_day:
        raise ValueError("A period cannot end before it starts.")

    def day_month(day):
        return f"{day.day} {month_names[day.month]}"

    end = f"{day_month(last_day)} {last_day.year}"
    if first_day.year != last_day.year:
        return f"{day_month(first_day)} {first_day.year} {EN_DASH} {end}"
    if first_day.month != last_day.month:
        return f"{day_month(first_day)} {EN_DASH} {end}"
    if first_day == last_day:
        return end
    return f"{first_day.day}{EN_DASH}{end}"
