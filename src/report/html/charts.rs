//! The geometry of the report's two charts, apart from their markup.
//!
//! Scales, axis steps, tick labels, bar positions and label positions are
//! computed here into plain structs of numbers, so they can be unit-tested
//! (no NaN, nothing negative, every label inside the picture) without parsing
//! SVG; the template in the parent module only places what it is given. All
//! coordinates are in the SVG's own system: [`CHART_W`] wide, scaled to the
//! page by the browser.

use crate::units::{percent, weeks};

/// Width of the charts' coordinate system (they scale to the page).
pub const CHART_W: f64 = 1080.0;

/// Height of the planned-effort chart.
pub const EFFORT_H: f64 = 340.0;

/// Height of the debt-share chart.
pub const DEBT_H: f64 = 320.0;

/// Quarter slots narrower than this shorten the bar labels.
const CROWDED_SLOT: f64 = 64.0;

/// Slots narrower than this lose their bar labels and "none" marks.
const LABELLED_SLOT: f64 = 30.0;

/// Slots narrower than this lose the debt bars' value labels.
const VALUED_SLOT: f64 = 48.0;

/// Quarter labels are thinned out so each gets at least this much room: a
/// `2026-Q1` at the labels' size is about 55 units wide, so labels kept this
/// far apart never touch, however many quarters there are. The charts scale
/// as a whole (text too), so this holds at any page width.
pub const LABEL_ROOM: f64 = 72.0;

/// Slots narrower than this lose the "no plan" note under an empty quarter
/// (it would run into its neighbours).
const NOTED_SLOT: f64 = 64.0;

/// A finite, non-negative number or zero (charts never draw NaN or infinity).
pub fn finite(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

/// A "nice" axis step (1, 2, 2.5 or 5 times a power of ten) giving about
/// `target` ticks up to `max`.
pub fn nice_step(max: f64, target: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let raw = max / target;
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let step = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 2.5 {
        2.5
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    step * mag
}

/// Axis label for a tick value (no `.0` on whole numbers).
pub fn tick_label(v: f64) -> String {
    if v.fract().abs() < 1e-9 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The plot area of a chart: where the bars go, inside the margins that hold
/// the axis labels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plot {
    /// x of the value axis.
    pub left: f64,
    /// x where the plot ends (the threshold label sits to its right).
    pub right: f64,
    /// y of the axis maximum.
    pub top: f64,
    /// y of zero.
    pub bottom: f64,
    /// Number of quarter slots (at least one).
    pub n: usize,
}

impl Plot {
    /// The plot of a chart `height` high with `n` quarter slots.
    pub fn new(height: f64, n: usize) -> Plot {
        let (left, right) = (64.0, CHART_W - 60.0);
        Plot {
            left,
            right,
            top: 28.0,
            bottom: height - 40.0,
            n: n.max(1),
        }
    }

    /// Width of one quarter's slot.
    pub fn slot(&self) -> f64 {
        (self.right - self.left) / self.n as f64
    }

    /// x of the middle of slot `i`.
    pub fn center(&self, i: usize) -> f64 {
        self.left + self.slot() * (i as f64 + 0.5)
    }

    /// y of value `v` on a 0..`max` axis, clamped to the plot.
    pub fn y(&self, v: f64, max: f64) -> f64 {
        let v = if v.is_finite() {
            v.clamp(0.0, max)
        } else {
            0.0
        };
        self.bottom - (self.bottom - self.top) * v / max
    }

    /// Whether slots are too narrow for long bar labels.
    pub fn crowded(&self) -> bool {
        self.slot() < CROWDED_SLOT
    }
}

/// A horizontal grid line and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// y of the line.
    pub y: f64,
    /// Whether this is the zero line (drawn darker).
    pub base: bool,
    /// x of the label's right end.
    pub label_x: f64,
    /// Baseline of the label.
    pub label_y: f64,
    /// The label (`20`, `40%`).
    pub label: String,
}

/// Where a quarter's name goes below the plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuarterLabel {
    /// Index of the quarter.
    pub index: usize,
    /// x of the label's anchor.
    pub x: f64,
    /// Baseline of the label.
    pub y: f64,
}

/// Everything of a chart except its data: plot, scale, grid and labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Height of the SVG's coordinate system.
    pub height: f64,
    /// The plot area.
    pub plot: Plot,
    /// The axis maximum (positive and finite).
    pub max: f64,
    /// Grid lines from zero up to `max`.
    pub ticks: Vec<Tick>,
    /// y of the middle of the value axis, where its title is centred.
    pub title_y: f64,
    /// The quarter labels that fit, in order.
    pub quarter_labels: Vec<QuarterLabel>,
}

impl Frame {
    /// The frame of a chart `height` high with `n` quarters on a 0..`max`
    /// axis with a line every `step`, labelled by `fmt`.
    fn new(height: f64, n: usize, max: f64, step: f64, fmt: fn(f64) -> String) -> Frame {
        let plot = Plot::new(height, n);
        let mut ticks = Vec::new();
        let mut v = 0.0;
        while v <= max + step * 1e-6 && ticks.len() < 50 {
            let y = plot.y(v, max);
            ticks.push(Tick {
                y,
                base: v == 0.0,
                label_x: plot.left - 10.0,
                label_y: y + 4.0,
                label: fmt(v),
            });
            v += step;
        }
        let every = label_every(plot.slot());
        // the newest quarter always keeps its label: it is the one read first
        let last = n.saturating_sub(1);
        let quarter_labels = (0..n)
            .filter(|i| (last - i).is_multiple_of(every))
            .map(|index| QuarterLabel {
                index,
                x: plot.center(index),
                y: plot.bottom + 22.0,
            })
            .collect();
        Frame {
            height,
            plot,
            max,
            ticks,
            title_y: (plot.top + plot.bottom) / 2.0,
            quarter_labels,
        }
    }
}

/// Every how many slots a quarter label is drawn, so that labels are at
/// least [`LABEL_ROOM`] apart.
pub fn label_every(slot: f64) -> usize {
    if slot >= LABEL_ROOM || !(slot.is_finite() && slot > 0.0) {
        1
    } else {
        (LABEL_ROOM / slot).ceil() as usize
    }
}

/// One quarter's plan, as the effort chart needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct EffortInput {
    /// Whether the quarter has a roadmap file.
    pub planned: bool,
    /// Effort per kind, in stacking order (`None`: the kind has no item).
    pub by_kind: Vec<Option<f64>>,
    /// The quarter's planned effort, when it has a plan.
    pub planned_effort: Option<f64>,
    /// The quarter's capacity, when stated.
    pub capacity: Option<f64>,
}

/// One block of a stacked bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Index of the kind in the stacking order.
    pub kind: usize,
    /// Engineer-weeks.
    pub value: f64,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height (a 1-unit gap is left above the next block).
    pub height: f64,
}

/// The capacity mark across a bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CapLine {
    /// Start.
    pub x1: f64,
    /// End.
    pub x2: f64,
    /// Height of the capacity.
    pub y: f64,
    /// The capacity in engineer-weeks.
    pub value: f64,
}

/// A text placed in a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// x of the text's middle.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// The text.
    pub text: String,
}

/// One quarter in the effort chart.
#[derive(Clone, Debug, PartialEq)]
pub enum EffortBar {
    /// No roadmap file: a "no plan" note at the base, when there is room.
    NoPlan {
        /// Where the note goes (`None`: the slot is too narrow for it).
        at: Option<Label>,
    },
    /// A stacked bar of the planned kinds.
    Stack {
        /// Blocks, bottom up.
        segments: Vec<Segment>,
        /// The capacity mark, when a capacity is stated.
        cap: Option<CapLine>,
        /// Whether the plan exceeds the capacity.
        over: bool,
        /// `total / capacity` above the bar, when there is room.
        label: Option<Label>,
    },
}

/// The planned-effort chart: stacked bars by kind against capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct EffortChart {
    /// Scale, grid and labels.
    pub frame: Frame,
    /// One bar per quarter, in order.
    pub bars: Vec<EffortBar>,
}

/// Lay out the effort chart for `quarters`.
pub fn effort_chart(quarters: &[EffortInput]) -> EffortChart {
    let mut top: f64 = 0.0;
    for q in quarters {
        top = top.max(q.by_kind.iter().flatten().map(|v| finite(*v)).sum());
        if let Some(c) = q.capacity {
            top = top.max(finite(c));
        }
    }
    let headroom = top.max(1.0) * 1.08;
    let step = nice_step(headroom, 5.0);
    let max = (headroom / step).ceil() * step;
    let frame = Frame::new(EFFORT_H, quarters.len(), max, step, tick_label);
    let p = frame.plot;
    let bw = (p.slot() * 0.52).clamp(4.0, 68.0);
    let bars = quarters
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let x = p.center(i) - bw / 2.0;
            if !q.planned {
                return EffortBar::NoPlan {
                    at: (p.slot() >= NOTED_SLOT).then(|| Label {
                        x: p.center(i),
                        y: p.bottom - 8.0,
                        text: "no plan".into(),
                    }),
                };
            }
            let mut acc = 0.0;
            let mut segments = Vec::new();
            for (kind, v) in q.by_kind.iter().enumerate() {
                let Some(v) = v.map(finite) else { continue };
                if v <= 0.0 {
                    continue;
                }
                let (y1, y0) = (p.y(acc + v, max), p.y(acc, max));
                segments.push(Segment {
                    kind,
                    value: v,
                    x,
                    y: y1,
                    width: bw,
                    height: (y0 - y1 - 1.0).max(0.5),
                });
                acc += v;
            }
            let total = q.planned_effort.unwrap_or(acc);
            let over = q.capacity.is_some_and(|c| total > c);
            let mut label_y = p.y(acc, max) - 8.0;
            let cap = q.capacity.map(|c| {
                let y = p.y(c, max);
                label_y = label_y.min(y - 8.0);
                CapLine {
                    x1: x - 6.0,
                    x2: x + bw + 6.0,
                    y,
                    value: c,
                }
            });
            let text = match q.capacity {
                Some(c) if !p.crowded() => format!("{} / {}", weeks(total), weeks(c)),
                _ => weeks(total),
            };
            let label = (p.slot() >= LABELLED_SLOT).then(|| Label {
                x: p.center(i),
                y: label_y,
                text,
            });
            EffortBar::Stack {
                segments,
                cap,
                over,
                label,
            }
        })
        .collect();
    EffortChart { frame, bars }
}

/// One quarter's debt shares, as the debt chart needs them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DebtInput {
    /// Planned share, when the quarter has a plan with effort.
    pub planned: Option<f64>,
    /// Actual share, when it has debt or feature commits.
    pub actual: Option<f64>,
    /// Whether the quarter is still in progress: its actual share is
    /// provisional, drawn outlined and noted, never as a breach.
    pub open: bool,
}

/// The limits drawn in the debt chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DebtLimits {
    /// Lowest planned share allowed.
    pub planned_min: f64,
    /// Highest planned share allowed.
    pub planned_max: f64,
    /// Lowest actual share allowed.
    pub actual_min: f64,
}

/// A rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// One of a quarter's two debt bars.
#[derive(Clone, Debug, PartialEq)]
pub enum DebtBar {
    /// No share to show: a dash at the base, when there is room.
    None {
        /// Where the dash goes (`None`: no room).
        at: Option<Label>,
    },
    /// A bar up to the share.
    Bar {
        /// The share.
        value: f64,
        /// The bar.
        rect: Rect,
        /// The percentage above the bar, when there is room.
        label: Option<Label>,
    },
}

/// A quarter's planned and actual bars.
#[derive(Clone, Debug, PartialEq)]
pub struct DebtPair {
    /// Planned share (left).
    pub planned: DebtBar,
    /// Actual share (right).
    pub actual: DebtBar,
    /// "in progress" above the actual bar of an unfinished quarter, when
    /// there is room.
    pub note: Option<Label>,
}

/// The actual-minimum line across the plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// Start.
    pub x1: f64,
    /// End.
    pub x2: f64,
    /// Height of the minimum.
    pub y: f64,
    /// `min 20%`, right of the plot.
    pub label: Label,
}

/// The debt-share chart: planned vs actual bars, the planned range as a band,
/// the actual minimum as a line.
#[derive(Clone, Debug, PartialEq)]
pub struct DebtChart {
    /// Scale, grid and labels.
    pub frame: Frame,
    /// The planned range, behind everything.
    pub band: Rect,
    /// One pair per quarter, in order.
    pub pairs: Vec<DebtPair>,
    /// The actual minimum.
    pub threshold: Threshold,
}

/// Lay out the debt chart for `quarters` judged against `limits`.
pub fn debt_chart(quarters: &[DebtInput], limits: DebtLimits) -> DebtChart {
    let mut top: f64 = limits.planned_max.max(limits.actual_min);
    for q in quarters {
        top = top
            .max(q.planned.map_or(0.0, finite))
            .max(q.actual.map_or(0.0, finite));
    }
    let step = if top > 0.5 { 0.2 } else { 0.1 };
    let max = (((top + 0.06) / step).ceil() * step).min(1.0);
    let max = if max > 0.0 { max } else { 1.0 };
    let frame = Frame::new(DEBT_H, quarters.len(), max, step, percent);
    let p = frame.plot;
    let (b0, b1) = (
        p.y(limits.planned_min.min(max), max),
        p.y(limits.planned_max.min(max), max),
    );
    let band = Rect {
        x: p.left,
        y: b1,
        width: p.right - p.left,
        height: (b0 - b1).max(0.0),
    };
    let bw = (p.slot() * 0.26).clamp(3.0, 34.0);
    let gap = (bw * 0.12).max(1.0);
    let bar = |v: Option<f64>, x: f64| match v {
        None => DebtBar::None {
            at: (p.slot() >= LABELLED_SLOT).then(|| Label {
                x: x + bw / 2.0,
                y: p.bottom - 6.0,
                text: "–".into(),
            }),
        },
        Some(v) => {
            let y = p.y(v, max);
            DebtBar::Bar {
                value: v,
                rect: Rect {
                    x,
                    y,
                    width: bw,
                    height: (p.bottom - y).max(0.0),
                },
                label: (p.slot() >= VALUED_SLOT).then(|| Label {
                    x: x + bw / 2.0,
                    y: y - 6.0,
                    text: percent(v),
                }),
            }
        }
    };
    let pairs = quarters
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let c = p.center(i);
            let planned = bar(q.planned, c - bw - gap / 2.0);
            let mut actual = bar(q.actual, c + gap / 2.0);
            // Above the taller of the pair, so it never crosses a bar or its
            // value label.
            let top = |b: &DebtBar| match b {
                DebtBar::Bar { rect, .. } => Some(rect.y),
                _ => None,
            };
            let note = match top(&actual) {
                Some(y) if q.open && p.slot() >= NOTED_SLOT => {
                    let y = y.min(top(&planned).unwrap_or(y)) - 22.0;
                    // Too near the top to clear the value labels (a share
                    // near 100%): the actual value is starred instead.
                    if y < p.top - 14.0 {
                        if let DebtBar::Bar { label: Some(l), .. } = &mut actual {
                            l.text.push('*');
                        }
                        None
                    } else {
                        Some(Label {
                            x: c,
                            y,
                            text: "in progress".into(),
                        })
                    }
                }
                _ => None,
            };
            DebtPair {
                planned,
                actual,
                note,
            }
        })
        .collect();
    let ty = p.y(limits.actual_min, max);
    let threshold = Threshold {
        x1: p.left,
        x2: p.right,
        y: ty,
        label: Label {
            x: p.right + 8.0,
            y: ty + 4.0,
            text: format!("min {}", percent(limits.actual_min)),
        },
    };
    DebtChart {
        frame,
        band,
        pairs,
        threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values no chart may be thrown off by.
    const ODD: [f64; 6] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -3.0, 0.0, 1e300];

    fn planned(by_kind: &[Option<f64>], effort: Option<f64>, cap: Option<f64>) -> EffortInput {
        EffortInput {
            planned: true,
            by_kind: by_kind.to_vec(),
            planned_effort: effort,
            capacity: cap,
        }
    }

    /// Every number a chart hands to the template is finite.
    fn sane(xs: &[f64]) {
        for x in xs {
            assert!(x.is_finite(), "{xs:?}");
        }
    }

    /// Whether `y` is within the plot's height (give or take float noise).
    fn inside(y: f64, p: &Plot) -> bool {
        y >= p.top - 1e-9 && y <= p.bottom + 1e-9
    }

    /// The frame's ticks and labels stay inside the picture.
    fn frame_inside(f: &Frame) {
        let p = f.plot;
        assert!(f.max.is_finite() && f.max > 0.0, "max {}", f.max);
        assert!(!f.ticks.is_empty() && f.ticks.len() <= 50);
        assert!(f.ticks[0].base && f.ticks[0].y == p.bottom);
        for t in &f.ticks {
            sane(&[t.y, t.label_x, t.label_y]);
            assert!(inside(t.y, &p), "{t:?}");
            assert!(t.label_x > 0.0 && t.label_y < f.height);
        }
        // ticks climb
        assert!(f.ticks.windows(2).all(|w| w[1].y < w[0].y));
        for l in &f.quarter_labels {
            assert!(l.x > p.left && l.x < p.right && l.y < f.height, "{l:?}");
        }
        assert!(f.title_y > p.top && f.title_y < p.bottom);
    }

    fn label_inside(l: &Label, height: f64) {
        sane(&[l.x, l.y]);
        assert!(l.x > 0.0 && l.x < CHART_W, "{l:?}");
        assert!(l.y > 0.0 && l.y < height, "{l:?}");
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(60.0, 5.0), 20.0);
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert_eq!(nice_step(12.0, 5.0), 2.5);
        assert_eq!(nice_step(20.0, 5.0), 5.0);
        assert_eq!(nice_step(40.0, 5.0), 10.0);
        assert_eq!(nice_step(0.3, 5.0), 0.1);
        for bad in [f64::INFINITY, f64::NAN, 0.0, -1.0] {
            assert_eq!(nice_step(bad, 5.0), 1.0);
        }
    }

    #[test]
    fn tick_labels_drop_needless_decimals() {
        assert_eq!(tick_label(20.0), "20");
        assert_eq!(tick_label(2.5), "2.5");
        assert_eq!(tick_label(0.0), "0");
    }

    #[test]
    fn effort_axis_covers_the_tallest_bar() {
        let c = effort_chart(&[
            planned(&[Some(10.0), Some(28.0)], Some(38.0), Some(40.0)),
            planned(&[Some(50.0)], Some(50.0), Some(44.0)),
        ]);
        frame_inside(&c.frame);
        // 50 × 1.08 = 54 → step 20 → axis up to 60, ticks 0 20 40 60
        assert_eq!(c.frame.max, 60.0);
        let labels: Vec<&str> = c.frame.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "20", "40", "60"]);
        let EffortBar::Stack {
            segments,
            cap,
            over,
            label,
        } = &c.bars[0]
        else {
            panic!("a planned quarter is a stack")
        };
        assert_eq!(segments.len(), 2);
        assert!(!over);
        // blocks sit on each other, bottom up
        assert!(segments[1].y < segments[0].y);
        assert!((segments[1].y + segments[1].height + 1.0 - segments[0].y).abs() < 1e-9);
        let cap = cap.expect("capacity stated");
        assert!(cap.y < segments[1].y, "capacity 40 is above 38");
        assert_eq!(label.as_ref().expect("room").text, "38 / 40");
        assert!(matches!(&c.bars[1], EffortBar::Stack { over: true, .. }));
    }

    #[test]
    fn effort_bars_are_never_negative_or_nan() {
        for odd in ODD {
            let c = effort_chart(&[
                planned(&[Some(odd), Some(5.0), None], Some(odd), Some(odd)),
                planned(&[Some(odd)], None, None),
                EffortInput {
                    planned: false,
                    by_kind: vec![],
                    planned_effort: None,
                    capacity: None,
                },
            ]);
            frame_inside(&c.frame);
            let h = c.frame.height;
            for b in &c.bars {
                match b {
                    EffortBar::NoPlan { at } => {
                        if let Some(at) = at {
                            label_inside(at, h)
                        }
                    }
                    EffortBar::Stack {
                        segments,
                        cap,
                        label,
                        ..
                    } => {
                        for s in segments {
                            sane(&[s.x, s.y, s.width, s.height, s.value]);
                            assert!(s.height > 0.0 && s.width > 0.0 && s.value > 0.0);
                            // a sliver is drawn at least half a unit high, even
                            // when that pokes below the base
                            let p = c.frame.plot;
                            assert!(inside(s.y, &p) && s.y + s.height <= p.bottom + 0.5);
                        }
                        if let Some(cap) = cap {
                            sane(&[cap.x1, cap.x2, cap.y]);
                        }
                        if let Some(l) = label {
                            label_inside(l, h);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn crowded_charts_thin_their_labels_so_none_touch() {
        let many: Vec<EffortInput> = (0..60)
            .map(|_| planned(&[Some(3.0)], Some(3.0), Some(4.0)))
            .collect();
        let c = effort_chart(&many);
        frame_inside(&c.frame);
        assert!(c.frame.quarter_labels.len() < 60, "labels are thinned out");
        assert!(c
            .frame
            .quarter_labels
            .windows(2)
            .all(|w| w[1].x - w[0].x >= LABEL_ROOM - 1e-9));
        assert_eq!(c.frame.quarter_labels.last().map(|l| l.index), Some(59));
        // no room for bar labels at 60 slots
        assert!(c
            .bars
            .iter()
            .all(|b| matches!(b, EffortBar::Stack { label: None, .. })));
        let few = effort_chart(&many[..4]);
        assert_eq!(few.frame.quarter_labels.len(), 4);
    }

    #[test]
    fn an_empty_chart_still_has_an_axis() {
        let c = effort_chart(&[]);
        frame_inside(&c.frame);
        assert!(c.bars.is_empty());
        let d = debt_chart(
            &[],
            DebtLimits {
                planned_min: 0.2,
                planned_max: 0.4,
                actual_min: 0.15,
            },
        );
        frame_inside(&d.frame);
    }

    #[test]
    fn debt_axis_steps_by_tens_or_twenties() {
        let limits = DebtLimits {
            planned_min: 0.2,
            planned_max: 0.4,
            actual_min: 0.15,
        };
        let c = debt_chart(
            &[DebtInput {
                planned: Some(0.25),
                actual: Some(0.1),
                open: false,
            }],
            limits,
        );
        // 0.4 + 0.06 → 50%, by tens
        assert!((c.frame.max - 0.5).abs() < 1e-9);
        let labels: Vec<&str> = c.frame.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0%", "10%", "20%", "30%", "40%", "50%"]);
        let c = debt_chart(
            &[DebtInput {
                planned: Some(0.9),
                actual: None,
                open: false,
            }],
            limits,
        );
        assert_eq!(c.frame.max, 1.0, "never above 100%");
        let labels: Vec<&str> = c.frame.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0%", "20%", "40%", "60%", "80%", "100%"]);
    }

    #[test]
    fn debt_bars_are_never_negative_or_nan_and_labels_stay_inside() {
        for odd in ODD {
            let limits = DebtLimits {
                planned_min: odd,
                planned_max: odd,
                actual_min: odd,
            };
            let c = debt_chart(
                &[
                    DebtInput {
                        planned: Some(odd),
                        actual: Some(0.3),
                        open: true,
                    },
                    DebtInput {
                        planned: None,
                        actual: Some(odd),
                        open: false,
                    },
                ],
                limits,
            );
            frame_inside(&c.frame);
            let p = c.frame.plot;
            sane(&[c.band.x, c.band.y, c.band.width, c.band.height]);
            assert!(
                c.band.height >= 0.0 && inside(c.band.y, &p),
                "{odd}: {:?}",
                c.band
            );
            sane(&[c.threshold.x1, c.threshold.x2, c.threshold.y]);
            assert!(inside(c.threshold.y, &p));
            label_inside(&c.threshold.label, c.frame.height);
            for pair in &c.pairs {
                if let Some(n) = &pair.note {
                    label_inside(n, c.frame.height);
                }
                for bar in [&pair.planned, &pair.actual] {
                    match bar {
                        DebtBar::None { at } => {
                            if let Some(l) = at {
                                label_inside(l, c.frame.height);
                            }
                        }
                        DebtBar::Bar { rect, label, .. } => {
                            sane(&[rect.x, rect.y, rect.width, rect.height]);
                            assert!(rect.height >= 0.0 && rect.width > 0.0);
                            assert!(inside(rect.y, &p) && inside(rect.y + rect.height, &p));
                            if let Some(l) = label {
                                label_inside(l, c.frame.height);
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_in_progress_note_sits_above_the_taller_bar_of_its_pair() {
        let limits = DebtLimits {
            planned_min: 0.2,
            planned_max: 0.4,
            actual_min: 0.15,
        };
        let c = debt_chart(
            &[DebtInput {
                planned: Some(0.36),
                actual: Some(0.12),
                open: true,
            }],
            limits,
        );
        let pair = &c.pairs[0];
        let (DebtBar::Bar { rect: planned, .. }, Some(note)) = (&pair.planned, &pair.note) else {
            panic!("a planned bar and a note: {pair:?}");
        };
        assert!(
            note.y < planned.y - 14.0,
            "the note ({}) clears the planned bar ({}) and its value label",
            note.y,
            planned.y
        );
    }

    #[test]
    fn at_full_height_the_in_progress_note_gives_way_to_a_starred_value() {
        let c = debt_chart(
            &[DebtInput {
                planned: Some(0.3),
                actual: Some(1.0),
                open: true,
            }],
            DebtLimits {
                planned_min: 0.2,
                planned_max: 0.4,
                actual_min: 0.15,
            },
        );
        let pair = &c.pairs[0];
        let DebtBar::Bar {
            label: Some(value), ..
        } = &pair.actual
        else {
            panic!("an actual bar with its value: {pair:?}");
        };
        // No note could clear the "100%" label inside the frame: none is
        // drawn over it, and the value says it is provisional.
        assert_eq!(pair.note, None);
        assert_eq!(value.text, "100%*");
    }

    #[test]
    fn planned_bar_sits_left_of_actual() {
        let c = debt_chart(
            &[DebtInput {
                planned: Some(0.2),
                actual: Some(0.3),
                open: false,
            }],
            DebtLimits {
                planned_min: 0.2,
                planned_max: 0.4,
                actual_min: 0.15,
            },
        );
        let (DebtBar::Bar { rect: a, .. }, DebtBar::Bar { rect: b, .. }) =
            (&c.pairs[0].planned, &c.pairs[0].actual)
        else {
            panic!("both shares are drawn")
        };
        assert!(a.x + a.width < b.x);
        assert!(b.y < a.y, "30% is taller than 20%");
        assert_eq!(c.threshold.label.text, "min 15%");
    }
}
