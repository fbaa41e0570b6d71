"""📄 The income overview on one page (issue 15), for funders and the members' meeting: income by source with a
bar chart, the total, shares, campaigns, and participation next to it.

The bars are drawn by matplotlib (its Agg backend, without pyplot: no global state, safe in a worker thread)
as a picture without any text; the labels and amounts beside each bar are written by bot/paper.py's sheet. So
every word is set in our fonts and shaped by HarfBuzz, Arabic included, which matplotlib cannot do. The chart
fills its picture exactly, one row per source, so the text rows line up with the bars. In a right-to-left
language the page is mirrored: labels on the right, bars growing to the left.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot import i18n
from bot.formatting import format_hours
from bot.i18n import N_
from bot.paper import SANS, Sheet
from bot.vote_text import money
from storage.income import (
    ACTIVITIES,
    BOOKINGS,
    CONTRIBUTIONS,
    FEES,
    FUND,
    OTHER,
    PLEDGES,
    ROOMS,
    SHARES,
    SUBSIDY,
    Overview,
)

# Every source, as the overview names it (screen, file and paper).
LABELS = {
    SHARES: N_("Shares"),
    PLEDGES: N_("Crowdfunding"),
    BOOKINGS: N_("Room bookings"),
    FEES: N_("Paid activities"),
    SUBSIDY: N_("Subsidy"),
    FUND: N_("Fund"),
    ROOMS: N_("Room rent, other"),
    ACTIVITIES: N_("Activities, other"),
    CONTRIBUTIONS: N_("Contributions"),
    OTHER: N_("Other income"),
}
TYPE = 12  # pt: a report read at a table
ROW = 9  # mm: one source in the chart
LABEL, AMOUNT = 55, 35  # mm: the columns beside the bars
BAR = "#2e7d32"
DPI = 200
CAMPAIGNS_ON_PAPER = 5


def bars(amounts: Sequence[int], width: float, height: float, right_to_left: bool) -> bytes:
    """A PNG of horizontal bars, the first on top, filling the picture: no axes, no text."""
    figure = Figure(figsize=(width / 25.4, height / 25.4), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.barh(range(len(amounts)), amounts, height=0.6, color=BAR)
    longest = max(amounts, default=0) or 1
    axes.set_xlim((longest, 0) if right_to_left else (0, longest))
    axes.set_ylim(len(amounts) - 0.5, -0.5)
    axes.axis("off")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, transparent=True)
    return out.getvalue()


def chart(sheet: Sheet, rows: list[tuple[str, str, int]]) -> None:
    """Label, bar and amount of each source, on rows of the same height as the bars."""
    top, width = sheet.get_y(), sheet.epw - LABEL - AMOUNT
    label_x, bar_x, amount_x = sheet.l_margin, sheet.l_margin + LABEL, sheet.l_margin + LABEL + width
    if sheet.right_to_left:
        amount_x, bar_x, label_x = sheet.l_margin, sheet.l_margin + AMOUNT, sheet.l_margin + AMOUNT + width
    picture = bars([cents for _label, _amount, cents in rows], width, ROW * len(rows), sheet.right_to_left)
    sheet.image(io.BytesIO(picture), x=bar_x, y=top, w=width, h=ROW * len(rows))
    sheet.set_font(SANS, "", TYPE)
    for index, (label, amount, _cents) in enumerate(rows):
        y = top + index * ROW
        sheet.set_xy(label_x, y)
        sheet.cell(LABEL, ROW, sheet.fitted(label, LABEL - 2 * sheet.c_margin), align=sheet.start)
        sheet.set_xy(amount_x, y)
        sheet.cell(AMOUNT, ROW, amount, align="L" if sheet.right_to_left else "R")
    sheet.set_xy(sheet.l_margin, top + ROW * len(rows))


def overview_pdf(figures: Overview, title: str, place: str, language: str) -> bytes:
    """The page: `title` names the period (e.g. "Overview November 2026"), `place` the cooperative."""
    _ = i18n.translator(language)
    sheet = Sheet(title, language, numbered=False)
    sheet.paragraph(title, TYPE * 1.6, bold=True)
    sheet.paragraph(place, TYPE)
    sheet.gap(4)
    sheet.paragraph(_("Income by source"), TYPE * 1.2, bold=True)
    shown = [(source, cents) for source, cents in figures.income.items() if cents]
    if shown:
        chart(sheet, [(_(LABELS[source]), money(cents, language), cents) for source, cents in shown])
    else:
        sheet.paragraph(_("No income in this period."), TYPE)
    sheet.gap(2)
    sheet.paragraph(_("Total: {amount}").format(amount=money(figures.total_cents, language)), TYPE * 1.2, bold=True)
    sheet.gap(4)
    for heading, lines in sections(_, figures, language):
        sheet.paragraph(heading, TYPE * 1.2, bold=True)
        for line in lines:
            sheet.paragraph(line, TYPE, lines=1)
        sheet.gap(3)
    return sheet.pdf()


def sections(
    _: i18n.Translate, figures: Overview, language: str, written: Callable[[str], str] = str
) -> list[tuple[str, list[str]]]:
    """Shares, campaigns and participation: the same lines on paper and on screen (`written`: how a campaign's
    title is written there: escaped for a message)."""
    shares = [_("Shares issued: {count}").format(count=figures.shares_issued)]
    if figures.shares_paid_back:
        shares.append(
            _("Shares paid back: {count} ({amount})").format(
                count=figures.shares_paid_back, amount=money(figures.paid_back_cents, language)
            )
        )
    if figures.refunded_cents:  # what came for purchases that lapsed, paid back: not shares, so a line of its own
        refunded = money(figures.refunded_cents, language)
        shares.append(_("Paid back for requests that lapsed: {amount}").format(amount=refunded))
    campaigns = [
        _("{title}: {received} received, goal {goal}").format(
            title=written(part.title),
            received=money(part.received_cents, language),
            goal=money(part.goal_cents, language),
        )
        for part in figures.campaigns[:CAMPAIGNS_ON_PAPER]
    ]
    if len(figures.campaigns) > CAMPAIGNS_ON_PAPER:
        more = len(figures.campaigns) - CAMPAIGNS_ON_PAPER  # the same words as help_news.py, a plural there too
        ngettext = i18n.plural(language)
        campaigns.append(ngettext("And {count} more.", "And {count} more.", more).format(count=more))
    report = figures.participation
    taking_part = [
        _("Activities held: {count}").format(count=report.activities_held),
        _("Different participants: {count}").format(count=report.unique_participants),
        _("Volunteer hours: {hours}").format(hours=format_hours(figures.volunteer_minutes, language)),
    ]
    return [
        (_("Shares"), shares),
        (_("Campaigns"), campaigns or [_("No campaigns in this period.")]),
        (_("Taking part"), taking_part),
    ]
