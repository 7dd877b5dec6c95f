//! What every handler starts from ([`Ctx`]: the language, the shared
//! state, the path), the session cookie and the CSRF checks.
//!
//! Sessions are API tokens: the cookie `kindred_session` holds the same
//! 256-bit token `POST /auth/login` returns, and the database keeps only
//! its SHA-256 (`auth_tokens`), so logout, a password change or reset and
//! erasure end web sessions as they end API tokens.
//!
//! CSRF: signed-in forms carry HMAC(key, "session:" + the session's row
//! id); anonymous forms carry HMAC(key, "anon:" + a random value in the
//! `kindred_csrf` cookie) (signed double submit). The key is the
//! `web_form_hmac_key` server secret. Every POST with an `Origin` header
//! must come from our own origin.

use std::sync::{Arc, OnceLock};

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpRequest};
use base64::Engine;
use hmac::{Hmac, Mac};
use kindred_api::{ApiError, AppState};
use kindred_service::Caller;
use rand::RngCore;
use sha2::Sha256;

use crate::error::{Failure, WebError, WebResult};
use crate::i18n::Lang;
use crate::render::{footer_blocks, Layout, Page};

pub const SESSION_COOKIE: &str = "kindred_session";
pub const CSRF_COOKIE: &str = "kindred_csrf";

/// Per-worker state of the web app: the form key, read once from the
/// database, and the offered taxonomy the forms show.
#[derive(Default)]
pub struct WebState {
    form_key: OnceLock<Arc<Vec<u8>>>,
    pub taxonomy: kindred_service::tags::TaxonomyCache,
}

/// A signed-in person and the CSRF token of their forms.
pub struct Session {
    pub caller: Caller,
    pub csrf: String,
}

/// The request's language, the shared state and the request itself.
pub struct Ctx {
    pub lang: Lang,
    pub state: web::Data<AppState>,
    web: web::Data<WebState>,
    pub req: HttpRequest,
}

impl Ctx {
    pub fn new(req: &HttpRequest) -> WebResult<Ctx> {
        let lang = Lang::of(req);
        let (Some(state), Some(web)) = (
            req.app_data::<web::Data<AppState>>().cloned(),
            req.app_data::<web::Data<WebState>>().cloned(),
        ) else {
            tracing::error!("the web app is mounted without its state");
            return Err(WebError::page(
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                String::new(),
                Vec::new(),
            ));
        };
        Ok(Ctx {
            lang,
            state,
            web,
            req: req.clone(),
        })
    }

    /// The web app's per-worker state, for a read on the blocking pool.
    pub fn web_state(&self) -> web::Data<WebState> {
        self.web.clone()
    }

    /// Whether cookies must be `Secure` (the public URL is https).
    pub fn secure(&self) -> bool {
        self.state.settings.server.public_url.scheme() == "https"
    }

    /// The layout of a page on this request.
    pub fn layout(&self, session: Option<&Session>, csrf: String) -> Layout {
        Layout {
            lang: self.lang.tag(),
            path: self.req.path().to_string(),
            signed_in: session.map(|s| s.caller.user.display_name.clone()),
            coordinator: session.is_some_and(|s| s.caller.is_coordinator()),
            csrf,
            footer: footer_blocks(self.state.settings.mail.footer_for(self.lang.tag())),
            notice: None,
        }
    }

    /// The error page of `failure`.
    pub fn fail(&self, failure: Failure) -> WebError {
        let (title, body) = failure.messages();
        let mut headers = Vec::new();
        if let Failure::RateLimited { retry_after_secs } = failure {
            headers.push((header::RETRY_AFTER, retry_after_secs.max(1).to_string()));
        }
        let values = minijinja::context! {
            title => title,
            body => body,
            seconds => match failure {
                Failure::RateLimited { retry_after_secs } => retry_after_secs.max(1),
                _ => 0,
            },
        };
        let page = Page::new("error.html", self.layout(None, String::new())).values(values);
        let body = page.html().unwrap_or_else(|err| {
            tracing::error!(error = %err, "error page failed to render");
            String::from("<!doctype html><title>Error</title><p>Error.</p>")
        });
        WebError::page(failure.status(), body, headers)
    }

    /// The page for a service failure that no form can show.
    pub fn api_failure(&self, err: ApiError) -> WebError {
        match err {
            ApiError::TooManyRequests { retry_after_secs } => {
                self.fail(Failure::RateLimited { retry_after_secs })
            }
            ApiError::NotFound => self.fail(Failure::NotFound),
            ApiError::Unauthorized | ApiError::LoginFailed => self.signed_out(true),
            ApiError::PasswordChangeRequired => WebError::redirect("/account/password", Vec::new()),
            ApiError::Unavailable(_) => self.fail(Failure::Unavailable),
            ApiError::Internal(cause) => {
                tracing::error!(error = %cause, "internal error");
                self.fail(Failure::Internal)
            }
            ApiError::Validation(_)
            | ApiError::BadRequest(_)
            | ApiError::Forbidden(_)
            | ApiError::Conflict { .. }
            | ApiError::PayloadTooLarge { .. }
            | ApiError::UnsupportedMediaType
            | ApiError::MethodNotAllowed => self.fail(Failure::BadForm),
        }
    }

    /// To the login page, dropping the session cookie; `ended` says why.
    pub fn signed_out(&self, ended: bool) -> WebError {
        let location = if ended {
            "/login?notice=session-ended"
        } else {
            "/login"
        };
        WebError::redirect(
            location,
            vec![(header::SET_COOKIE, self.clear_session_cookie().to_string())],
        )
    }

    async fn form_key(&self) -> WebResult<Arc<Vec<u8>>> {
        if let Some(key) = self.web.form_key.get() {
            return Ok(Arc::clone(key));
        }
        let key = self
            .state
            .call(|conn, _| kindred_service::forms::form_key(conn))
            .await
            .map_err(|e| self.api_failure(e))?;
        Ok(Arc::clone(self.web.form_key.get_or_init(|| Arc::new(key))))
    }

    // ---- sessions --------------------------------------------------------

    pub fn session_cookie(&self, token: &str) -> Cookie<'static> {
        // A browser-session cookie: it ends when the browser closes (shared
        // devices); the server ends it at auth.token_ttl in any case.
        Cookie::build(SESSION_COOKIE, token.to_string())
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure())
            .finish()
    }

    pub fn clear_session_cookie(&self) -> Cookie<'static> {
        let mut cookie = self.session_cookie("");
        cookie.make_removal();
        cookie
    }

    /// The signed-in person, or a redirect to the login page (no, expired
    /// or revoked session) or to the password change (a one-time password
    /// not yet changed, unless `allow_password_change`).
    pub async fn session(&self, allow_password_change: bool) -> WebResult<Session> {
        let token = self.session_token()?;
        let caller = self
            .state
            .call(move |conn, _| {
                if allow_password_change {
                    Caller::authenticate_allowing_password_change(conn, &token)
                } else {
                    Caller::authenticate(conn, &token)
                }
            })
            .await
            .map_err(|e| self.api_failure(e))?;
        self.signed_in(caller).await
    }

    /// The session cookie's token, or the way to log in.
    fn session_token(&self) -> WebResult<String> {
        self.req
            .cookie(SESSION_COOKIE)
            .map(|c| c.value().to_string())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| self.signed_out(false))
    }

    /// The session of an authenticated caller, with its forms' CSRF token.
    async fn signed_in(&self, caller: Caller) -> WebResult<Session> {
        let key = self.form_key().await?;
        let csrf = sign(&key, "session", &caller.token_id);
        Ok(Session { caller, csrf })
    }

    /// [`Ctx::session`] and the page's own read in one trip to the blocking
    /// pool: `read` runs with the signed-in caller right after the session
    /// is checked (the pages read most: the match list and the profile).
    pub async fn session_with<T, F>(&self, read: F) -> WebResult<(Session, T)>
    where
        F: FnOnce(
                &mut kindred_service::DbConnection,
                &kindred_config::Settings,
                &Caller,
            ) -> kindred_service::ServiceResult<T>
            + Send
            + 'static,
        T: Send + 'static,
    {
        let token = self.session_token()?;
        let (caller, value) = self
            .state
            .call(move |conn, settings| {
                let caller = Caller::authenticate(conn, &token)?;
                let value = read(conn, settings, &caller)?;
                Ok((caller, value))
            })
            .await
            .map_err(|e| self.api_failure(e))?;
        Ok((self.signed_in(caller).await?, value))
    }

    /// Ends the session this browser holds, if any (before it signs in as
    /// someone, so an old or planted session cookie does not stay valid).
    pub async fn end_previous_session(&self) {
        if let Ok(old) = self.session(true).await {
            let caller = old.caller;
            if let Err(e) = self
                .state
                .call(move |conn, _| kindred_service::accounts::logout(conn, &caller))
                .await
            {
                tracing::warn!(error = ?e, "could not end the previous web session");
            }
        }
    }

    // ---- CSRF ------------------------------------------------------------

    /// The token for this request's anonymous forms, and the cookie to set
    /// when the browser has none yet.
    pub async fn anon_csrf(&self) -> WebResult<(String, Option<Cookie<'static>>)> {
        let key = self.form_key().await?;
        if let Some(nonce) = self.anon_nonce() {
            return Ok((sign(&key, "anon", &nonce), None));
        }
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let cookie = Cookie::build(CSRF_COOKIE, nonce.clone())
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure())
            .finish();
        Ok((sign(&key, "anon", &nonce), Some(cookie)))
    }

    fn anon_nonce(&self) -> Option<String> {
        self.req
            .cookie(CSRF_COOKIE)
            .map(|c| c.value().to_string())
            .filter(|v| {
                v.len() == 43
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
    }

    /// Checks an anonymous form's origin and token (403 page if wrong).
    pub async fn check_anon(&self, given: &str) -> WebResult<()> {
        self.check_origin()?;
        let key = self.form_key().await?;
        let ok = self
            .anon_nonce()
            .is_some_and(|nonce| verify(&key, "anon", &nonce, given));
        if ok {
            Ok(())
        } else {
            Err(self.fail(Failure::Csrf))
        }
    }

    /// Checks a signed-in form's origin and token (403 page if wrong).
    pub fn check_session(&self, session: &Session, given: &str) -> WebResult<()> {
        self.check_origin()?;
        if digests_equal(&session.csrf, given) {
            Ok(())
        } else {
            Err(self.fail(Failure::Csrf))
        }
    }

    /// A POST's `Origin`, when present, is our public URL's origin or the
    /// origin the request was addressed to.
    fn check_origin(&self) -> WebResult<()> {
        let Some(origin) = self.req.headers().get(header::ORIGIN) else {
            return Ok(());
        };
        let origin = origin.to_str().unwrap_or("").trim_end_matches('/');
        let public = self
            .state
            .settings
            .server
            .public_url
            .origin()
            .ascii_serialization();
        let info = self.req.connection_info();
        let addressed = format!("{}://{}", info.scheme(), info.host());
        if origin == public || origin == addressed {
            Ok(())
        } else {
            Err(self.fail(Failure::Csrf))
        }
    }

    /// The client address for the rate limits, as the API computes it.
    pub fn client_ip(&self) -> String {
        self.state.client_ip(&self.req)
    }
}

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `purpose:value`, hex.
pub fn sign(key: &[u8], purpose: &str, value: &str) -> String {
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return String::new();
    };
    mac.update(purpose.as_bytes());
    mac.update(b":");
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn verify(key: &[u8], purpose: &str, value: &str, given: &str) -> bool {
    let expected = sign(key, purpose, value);
    !expected.is_empty() && digests_equal(&expected, given)
}

fn digests_equal(a: &str, b: &str) -> bool {
    kindred_service::credentials::digests_equal(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_depend_on_key_purpose_and_value() {
        let key = [7u8; 32];
        let t = sign(&key, "anon", "nonce");
        assert_eq!(t.len(), 64);
        assert!(verify(&key, "anon", "nonce", &t));
        assert!(!verify(&key, "session", "nonce", &t));
        assert!(!verify(&key, "anon", "other", &t));
        assert!(!verify(&[8u8; 32], "anon", "nonce", &t));
        assert!(!verify(&key, "anon", "nonce", ""));
    }
}
