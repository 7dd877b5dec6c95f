//! Your profile: tags (public or private), languages, time zone, availability, meeting modes, region, goals and bio; for mentors capacity.

use actix_web::web;

use super::Area;

pub const AREA: Area = Area {
    templates: &[],
    pages: &[],
    message_ids: &[],
    routes,
};

fn routes(_cfg: &mut web::ServiceConfig) {}

/// Sample values for the render test of this area's pages.
#[cfg(test)]
pub fn sample(_template: &str) -> Option<minijinja::Value> {
    None
}
