//! Ask for a mentor (required tags, regions to avoid, a note) and withdraw the request.

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
