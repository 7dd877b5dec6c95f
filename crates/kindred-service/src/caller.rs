//! Who is asking: the authenticated person and their roles.

use kindred_core::Role;
use kindred_db::models::User;
use kindred_db::DbConnection;

use crate::error::{ServiceError, ServiceResult};

/// The person behind a valid session token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The `auth_tokens` row of the session (logout revokes it).
    pub token_id: String,
    pub roles: Vec<Role>,
}

impl Caller {
    pub fn id(&self) -> &str {
        &self.user.id
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_coordinator(&self) -> bool {
        self.has_role(Role::Coordinator)
    }

    pub fn require_coordinator(&self) -> ServiceResult<()> {
        if self.is_coordinator() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(
                "only coordinators may do this".into(),
            ))
        }
    }

    /// Resolves a bearer token to its live session, or `Unauthenticated`.
    /// An account that must still change its one-time password is refused
    /// with `PasswordChangeRequired`: only the routes that use
    /// [`Caller::authenticate_allowing_password_change`] serve it.
    pub fn authenticate(conn: &mut DbConnection, token: &str) -> ServiceResult<Caller> {
        let caller = Self::authenticate_allowing_password_change(conn, token)?;
        if caller.user.must_change_password {
            return Err(ServiceError::PasswordChangeRequired);
        }
        Ok(caller)
    }

    /// Like [`Caller::authenticate`], but also for an account that must
    /// change its one-time password first (for `GET /me`, `PUT /me/password`
    /// and logout).
    pub fn authenticate_allowing_password_change(
        conn: &mut DbConnection,
        token: &str,
    ) -> ServiceResult<Caller> {
        let hash = crate::credentials::token_hash(token);
        let Some((token, user)) =
            kindred_db::tokens::find_live_token(conn, &hash, kindred_db::now())?
        else {
            return Err(ServiceError::Unauthenticated);
        };
        let roles = kindred_db::users::roles(conn, &user.id)?;
        Ok(Caller {
            user,
            token_id: token.id,
            roles,
        })
    }
}
