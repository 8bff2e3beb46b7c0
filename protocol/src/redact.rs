//! `Debug` for types that carry a password, token, code or hash: it names the
//! type and only the fields listed, so a `{:?}` in a log or a panic message
//! cannot print a secret.

/// Implements `Debug` for each type, showing only the fields in braces:
/// `redacted_debug!(LoginResponse { device_id }, LoginRequest)`.
#[macro_export]
macro_rules! redacted_debug {
    ($($name:ident $({ $($field:ident),* })?),+ $(,)?) => {$(
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut shown = f.debug_struct(stringify!($name));
                $($(shown.field(stringify!($field), &self.$field);)*)?
                shown.finish_non_exhaustive()
            }
        }
    )+};
}

#[cfg(test)]
mod tests {
    use crate::accounts::{EraseRequest, PasswordChangeRequest, PasswordResetRequest};
    use crate::protocol::{AdminUserRequest, InviteResponse, LoginRequest, LoginResponse, RegisterRequest, UserView};

    const SECRET: &str = "correct horse battery staple";

    fn user() -> UserView {
        UserView { id: "u1".into(), role: "participant".into(), display_name: "Rosa".into() }
    }

    #[test]
    fn no_secret_is_printed() {
        let printed = [
            format!("{:?}", LoginRequest { username: "rosa".into(), password: SECRET.into(), device_name: "phone".into() }),
            format!("{:?}", LoginResponse { token: SECRET.into(), device_id: "d1".into(), user: user() }),
            format!(
                "{:?}",
                RegisterRequest {
                    invite_code: SECRET.into(),
                    username: "rosa".into(),
                    password: SECRET.into(),
                    display_name: "Rosa".into(),
                    device_name: "phone".into(),
                }
            ),
            format!(
                "{:?}",
                AdminUserRequest {
                    username: "rosa".into(),
                    password: SECRET.into(),
                    role: "participant".into(),
                    display_name: "Rosa".into(),
                }
            ),
            format!("{:?}", InviteResponse { code: SECRET.into(), expires_at: "2026-12-10T00:00:00Z".into() }),
            format!("{:?}", PasswordChangeRequest { current_password: SECRET.into(), new_password: SECRET.into() }),
            format!(
                "{:?}",
                PasswordResetRequest {
                    username: "rosa".into(),
                    code: SECRET.into(),
                    new_password: SECRET.into(),
                    device_name: "phone".into(),
                }
            ),
            format!("{:?}", EraseRequest { password: SECRET.into() }),
        ];
        for line in &printed {
            assert!(!line.contains(SECRET), "{line}");
            assert!(!line.contains("rosa"), "a username is not shown either: {line}");
        }
        assert_eq!(printed[1], r#"LoginResponse { device_id: "d1", .. }"#);
    }
}
