//! The technologies section: each technology's stage on the maturity pipeline.

use super::*;

pub(super) fn technologies_section(d: &Dashboard) -> Markup {
    let mut by_stage: BTreeMap<&str, Vec<&TechnologyRow>> = BTreeMap::new();
    for t in &d.technologies {
        by_stage
            .entry(t.stage.as_deref().unwrap_or("unknown"))
            .or_default()
            .push(t);
    }
    // the model's stages in pipeline order, always shown; words it does not
    // know after them
    let mut order: Vec<(&str, &str)> = Stage::ALL.iter().map(|(word, _)| (*word, *word)).collect();
    order.extend(
        by_stage
            .keys()
            .filter(|k| Stage::parse(k).is_none())
            .map(|k| (*k, "other")),
    );
    html! {
        section class="panel small" id="technologies" {
            "\n"
            h2 { "Technology radar" } "\n"
            @if d.technologies.is_empty() {
                (empty_state("No technologies tracked."))
            } @else {
                div class="stages" {
                    "\n"
                    @for (stage, class) in order {
                        @let list = by_stage.get(stage).map(Vec::as_slice).unwrap_or_default();
                        div class={ "stage stage-" (class) } {
                            h3 { (Repo(stage)) " " span class="count" { (list.len()) } }
                            ul {
                                @for t in list {
                                    li {
                                        (Repo(&t.name))
                                        @if let Some(e) = &t.experiment {
                                            " " span class="muted" { (Repo(e)) }
                                        }
                                    }
                                }
                            }
                        }
                        "\n"
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}
