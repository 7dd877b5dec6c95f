//! Kindred's web app: server-rendered HTML pages for mentees and mentors,
//! served by the same server as the API (`/` here, `/api/v1` there). It
//! works without JavaScript; every visible word is translated (English,
//! Spanish).
//!
//! Like the API's, each handler extracts its input, calls one
//! `kindred_service` function through `kindred_api::AppState`, and renders
//! a template (`render`) or redirects. Sessions and CSRF are in `context`,
//! translations in `i18n`, form errors in `forms`. See docs/web.md.

pub mod charts;
pub mod context;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod pages;
pub mod render;

use actix_web::http::header::{self, HeaderValue};
use actix_web::web;

/// The web pages' own Content-Security-Policy: no script at all, styles and
/// images from our origin only, forms post only to us. (The API keeps its
/// own, stricter one.)
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Mounts the web app at `/` (after the API's routes; see
/// `kindred_api::Mount`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    use pages::{account, passwords};
    cfg.app_data(web::Data::new(context::WebState::default()));
    cfg.service(
        web::scope("")
            .app_data(web::FormConfig::default().error_handler(|_, req| pages::bad_form(req)))
            .app_data(web::QueryConfig::default().error_handler(|_, req| pages::bad_form(req)))
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service;
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    let ours = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
                        let v = v.as_bytes();
                        v.starts_with(b"text/html") || v.starts_with(b"text/css")
                    });
                    let redirect = res.status().is_redirection();
                    // A page may bring its own, wider policy (the profile
                    // page's own script: `pages::profile::CSP_WITH_SCRIPT`).
                    let own = res.headers().contains_key(header::CONTENT_SECURITY_POLICY);
                    if (ours || redirect) && !own {
                        res.headers_mut().insert(
                            header::CONTENT_SECURITY_POLICY,
                            HeaderValue::from_static(CSP),
                        );
                    }
                    if ours || redirect {
                        // Not the API's `no-referrer`: under it browsers
                        // send `Origin: null` with our own forms, and the
                        // origin check could not tell them from a foreign
                        // sandboxed page. Other sites still get no referrer.
                        res.headers_mut().insert(
                            header::REFERRER_POLICY,
                            HeaderValue::from_static("same-origin"),
                        );
                    }
                    Ok(res)
                }
            })
            .service(web::resource("/").route(web::get().to(pages::landing)))
            .service(web::resource("/static/kindred.css").route(web::get().to(pages::stylesheet)))
            .service(web::resource("/lang/{tag}").route(web::get().to(pages::switch_language)))
            .service(
                web::resource("/signup")
                    .route(web::get().to(account::signup_page))
                    .route(web::post().to(account::signup)),
            )
            .service(web::resource("/signup/sent").route(web::get().to(account::signup_sent)))
            .service(
                web::resource("/verify")
                    .route(web::get().to(account::verify_page))
                    .route(web::post().to(account::verify)),
            )
            .service(
                web::resource("/login")
                    .route(web::get().to(account::login_page))
                    .route(web::post().to(account::login)),
            )
            .service(web::resource("/logout").route(web::post().to(account::logout)))
            .service(web::resource("/home").route(web::get().to(account::home)))
            .service(
                web::resource("/password/forgot")
                    .route(web::get().to(passwords::forgot_page))
                    .route(web::post().to(passwords::forgot)),
            )
            .service(
                web::resource("/password/reset")
                    .route(web::get().to(passwords::reset_page))
                    .route(web::post().to(passwords::reset)),
            )
            .service(
                web::resource("/account/password")
                    .route(web::get().to(passwords::change_page))
                    .route(web::post().to(passwords::change)),
            )
            .configure(|cfg| {
                for area in pages::AREAS {
                    (area.routes)(cfg);
                }
            })
            .default_service(web::to(pages::not_found)),
    );
}

#[cfg(test)]
mod tests;
