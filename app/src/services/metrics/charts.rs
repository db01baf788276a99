//! The metrics page's charts, drawn on the server as SVG with plotters:
//! bars of counts, lines of medians and rates, sparklines of a success
//! metric's trend, and a calendar heat-map of deploys. Only numbers and
//! dates are drawn; the page names them.

use crate::domain::deployment::MatchKind;
use crate::models::metrics::{DeployDay, Point};
use chrono::{Datelike, Duration, NaiveDate};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::collections::HashMap;

const LINE: RGBColor = RGBColor(2, 132, 199);
const MESH: RGBColor = RGBColor(241, 245, 249);

fn range(points: &[Point]) -> Option<(NaiveDate, NaiveDate)> {
    let first = points.first()?.date;
    let last = points.last()?.date;
    Some((first, last.max(first + Duration::days(1))))
}

fn top(points: &[Point], floor: f64) -> f64 {
    points.iter().filter_map(|p| p.value).fold(floor, f64::max) * 1.1
}

type DateChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedDate<NaiveDate>, RangedCoordf64>>;

/// A chart of dates against values from 0 to `top`, with its axes and
/// grid when `axes` (a sparkline has none).
fn date_chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    (first, last): (NaiveDate, NaiveDate),
    top: f64,
    axes: bool,
) -> Option<DateChart<'a, 'b>> {
    let mut builder = ChartBuilder::on(root);
    builder.margin(if axes { 8 } else { 2 });
    if axes {
        builder.x_label_area_size(28).y_label_area_size(44);
    }
    let mut chart = builder
        .build_cartesian_2d(RangedDate::from(first..last), 0f64..top)
        .ok()?;
    if axes {
        chart
            .configure_mesh()
            .x_labels(5)
            .y_labels(5)
            .x_label_formatter(&|d| d.format("%d %b").to_string())
            .light_line_style(MESH)
            .draw()
            .ok()?;
    }
    Some(chart)
}

/// A bar per bucket (deploys); `target` as a dashed line when there is one.
pub fn bars(points: &[Point]) -> Option<String> {
    let (first, last) = range(points)?;
    let width = points
        .get(1)
        .map_or(Duration::days(1), |p| p.date - points[0].date);
    let last = last + width;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (560, 200)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = date_chart(&root, (first, last), top(points, 1.0), true)?;
        let inset = Duration::hours((width.num_hours() / 8).max(1));
        chart
            .draw_series(points.iter().filter_map(|p| {
                let v = p.value?;
                Some(Rectangle::new(
                    [(p.date + inset, 0.0), (p.date + width - inset, v)],
                    LINE.filled(),
                ))
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// A line through the buckets that have a value (gaps where nothing was
/// measured are bridged, each measured bucket dotted).
pub fn line(points: &[Point], size: (u32, u32), axes: bool) -> Option<String> {
    let measured: Vec<(NaiveDate, f64)> = points
        .iter()
        .filter_map(|p| Some((p.date, p.value?)))
        .collect();
    let (first, last) = range(points)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = date_chart(&root, (first, last), top(points, 1.0), axes)?;
        chart
            .draw_series(LineSeries::new(
                measured.iter().copied(),
                LINE.stroke_width(2),
            ))
            .ok()?;
        let dot = if axes { 3 } else { 2 };
        chart
            .draw_series(measured.iter().map(|p| Circle::new(*p, dot, LINE.filled())))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// The colour of a kind of deploy on the heat-map.
fn colour(kind: MatchKind) -> RGBColor {
    match kind {
        MatchKind::Scheduled => RGBColor(2, 132, 199),
        MatchKind::Hotfix => RGBColor(217, 119, 6),
        MatchKind::Unscheduled => RGBColor(225, 29, 72),
        MatchKind::Rollback => RGBColor(124, 58, 237),
    }
}

/// A calendar of the window's days (a column per week, Monday on top),
/// each day shaded by how many deploys of `kind` it saw.
pub fn heatmap(
    days: &[DeployDay],
    kind: MatchKind,
    from: NaiveDate,
    until: NaiveDate,
) -> Option<String> {
    let counts: HashMap<NaiveDate, u32> = days
        .iter()
        .filter(|d| d.matched == kind)
        .map(|d| (d.date, d.count))
        .collect();
    let most = counts.values().copied().max().unwrap_or(0).max(1);
    let monday = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let weeks = i32::try_from((until - monday).num_days() / 7 + 1).ok()?;
    let base = colour(kind);
    let shade = |n: u32| {
        let mix = |c: u8| {
            let share = f64::from(n) / f64::from(most);
            (255.0 - (255.0 - f64::from(c)) * (0.2 + 0.8 * share)).round() as u8
        };
        if n == 0 {
            RGBColor(241, 245, 249)
        } else {
            RGBColor(mix(base.0), mix(base.1), mix(base.2))
        }
    };
    let cell = 14u32;
    let width = u32::try_from(weeks).ok()? * cell + 4;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 7 * cell + 4)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut day = from;
        while day < until {
            let week = i32::try_from((day - monday).num_days() / 7).ok()?;
            let row = i32::try_from(day.weekday().num_days_from_monday()).ok()?;
            let (x, y) = (2 + week * cell as i32, 2 + row * cell as i32);
            let n = counts.get(&day).copied().unwrap_or(0);
            root.draw(&Rectangle::new(
                [(x, y), (x + cell as i32 - 2, y + cell as i32 - 2)],
                shade(n).filled(),
            ))
            .ok()?;
            day += Duration::days(1);
        }
        root.present().ok()?;
    }
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points() -> Vec<Point> {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        (0..4)
            .map(|i| Point {
                date: d + Duration::days(7 * i),
                value: (i != 2).then_some(i as f64),
            })
            .collect()
    }

    #[test]
    fn charts_are_plain_svg_that_the_pages_policy_allows() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let days = [DeployDay {
            date: d,
            matched: MatchKind::Hotfix,
            count: 2,
        }];
        let drawn = [
            bars(&points()),
            line(&points(), (560, 200), true),
            line(&points(), (120, 28), false),
            heatmap(&days, MatchKind::Hotfix, d, d + Duration::days(30)),
        ];
        for svg in drawn {
            let svg = svg.unwrap();
            assert!(svg.starts_with("<svg"));
            assert!(!svg.contains("style="), "inline styles would be blocked");
            assert!(!svg.contains("<script"));
        }
    }

    #[test]
    fn a_heat_map_draws_a_cell_a_day_and_shades_the_busy_ones() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let days = [DeployDay {
            date: d,
            matched: MatchKind::Scheduled,
            count: 3,
        }];
        let svg = heatmap(&days, MatchKind::Scheduled, d, d + Duration::days(14)).unwrap();
        assert_eq!(
            svg.matches("<rect").count(),
            14 + 1,
            "a background and a cell a day"
        );
        assert!(svg.contains("#0284C7") || svg.to_lowercase().contains("#0284c7"));
        assert!(bars(&[]).is_none());
    }
}
