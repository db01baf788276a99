//! Charts drawn on the server as SVG with plotters: no script, readable
//! without JavaScript, allowed by the page's Content-Security-Policy.

use chrono::{DateTime, Utc};
use plotters::prelude::*;

/// A line of `(time, value)` points in time order, with `limit` as a dashed
/// line when the gate has one. Only numbers and times are drawn, never text
/// from a report.
pub fn line_chart(points: &[(DateTime<Utc>, f64)], limit: Option<f64>) -> Option<String> {
    let (first, last) = (points.first()?.0, points.last()?.0);
    let last = if last == first {
        first + chrono::Duration::minutes(1)
    } else {
        last
    };
    let values = points.iter().map(|(_, v)| *v).chain(limit);
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = ((hi - lo) * 0.1).max(1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (560, 200)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .build_cartesian_2d(first..last, (lo - pad)..(hi + pad))
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(4)
            .y_labels(5)
            .x_label_formatter(&|t| t.format("%d %b %H:%M").to_string())
            .light_line_style(RGBColor(241, 245, 249))
            .draw()
            .ok()?;
        if let Some(limit) = limit {
            chart
                .draw_series(DashedLineSeries::new(
                    [(first, limit), (last, limit)],
                    6,
                    4,
                    ShapeStyle::from(&RGBColor(225, 29, 72)).stroke_width(1),
                ))
                .ok()?;
        }
        let line = RGBColor(2, 132, 199);
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                line.stroke_width(2),
            ))
            .ok()?;
        chart
            .draw_series(points.iter().map(|p| Circle::new(*p, 3, line.filled())))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_chart_is_plain_svg_without_style_attributes_or_scripts() {
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
        let svg = line_chart(
            &[
                (t, 72.0),
                (t + chrono::Duration::hours(1), 85.0),
                (t + chrono::Duration::hours(2), 91.0),
            ],
            Some(80.0),
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
        assert!(svg.contains("<polyline") || svg.contains("<path"));
        // The page's CSP allows no inline styles and no scripts.
        assert!(!svg.contains("style="), "inline styles would be blocked");
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn a_single_point_still_draws_and_no_points_draw_nothing() {
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
        assert!(line_chart(&[(t, 1.0)], None).is_some());
        assert!(line_chart(&[], None).is_none());
    }
}
